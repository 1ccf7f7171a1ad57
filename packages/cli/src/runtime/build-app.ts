import type { MargAppDefinition } from "@marg/core/app";
import { loadConfig, type MargConfig } from "@marg/core/config";
import { createPlatform, type Platform } from "@marg/core/platform";
import { type AppServerOptions, createAppServer } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { loadAppDefinition } from "../migration-sources.js";
import { appAccess, appOffSiteRedirects } from "./app-access.js";

export interface BuiltApp {
  readonly definition: MargAppDefinition;
  readonly config: MargConfig;
  readonly platform: Platform;
  readonly server: FastifyInstance;
}

/** The titles of every app of the installation, for the app switcher. */
export async function appTitles(root: string, ids: readonly string[]): Promise<Record<string, string>> {
  const titles: Record<string, string> = {};
  for (const id of ids) titles[id] = (await loadAppDefinition(root, id)).title;
  return titles;
}

/** Loads one app's definition and config, builds its platform and its (not yet listening) server. */
export async function buildApp(options: {
  root: string;
  env: Record<string, string | undefined>;
  id: string;
  titles: Readonly<Record<string, string>>;
  serverOptions?: Omit<AppServerOptions, "titles">;
}): Promise<BuiltApp> {
  const definition = await loadAppDefinition(options.root, options.id);
  const config = loadConfig({
    app: options.id,
    root: options.root,
    env: options.env,
    appDefaults: {
      name: definition.title,
      ...(definition.database === undefined ? {} : { database: definition.database }),
    },
  });
  // QUEUE_CONNECTION=sync runs jobs inside dispatch(), in this process: it gets every job
  // `marg work` would run, bound to this app's platform (called, and loaded, only under sync).
  const platform = await createPlatform(config, {
    jobs: async (built) => {
      const { collectWorkerJobs } = await import("./worker-jobs.js");
      return (await collectWorkerJobs(options.root, built)).jobs;
    },
  });
  try {
    const server = await createAppServer(definition, platform, {
      access: await appAccess(options.root, config.app.apps),
      redirectsOffSite: await appOffSiteRedirects(options.root, config.app.apps),
      ...options.serverOptions,
      titles: options.titles,
    });
    return { definition, config, platform, server };
  } catch (error) {
    await platform.close();
    throw error;
  }
}
