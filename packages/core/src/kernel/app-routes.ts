import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { MargAppDefinition } from "../app/app-definition.js";
import { queueBacklogCheck } from "../health/queue-backlog-check.js";
import { mailSendJob } from "../platform/platform-jobs.js";
import type { Platform } from "../platform/types.js";
import { registerApiDocs } from "../web/api-docs.js";
import { offSiteRedirects } from "../web/app-links.js";
import { registerAppStylesheet } from "../web/app-stylesheet.js";
import { AccountSections } from "../web/auth/account-sections.js";
import { type AuthRouteContext, registerAuthRoutes } from "../web/auth/index.js";
import { registerHealthRoutes } from "../web/health-routes.js";
import type { LayoutApp } from "../web/layout.js";
import { createPageRenderer } from "../web/page-renderer.js";
import { registerStaticRoutes } from "../web/static-routes.js";
import type { AppServerOptions } from "./app-server-options.js";

/**
 * The routes of an app server, after its request path: API docs, assets, /health,
 * the account pages, the platform's extra routes, then the app's own, and a
 * start page when the app has none.
 */
export async function registerAppRoutes(
  app: FastifyInstance,
  definition: MargAppDefinition,
  platform: Platform,
  options: AppServerOptions & { readonly apps: readonly LayoutApp[] },
): Promise<void> {
  const { config } = platform;
  await registerApiDocs(app, { title: definition.title, url: config.app.url, access: definition.access });
  const stylesheets = registerAppStylesheet(app, definition.id, definition.stylesheet);
  const pages = createPageRenderer({
    config,
    appTitle: definition.title,
    apps: options.apps,
    nav: definition.nav ?? [],
    stylesheets,
  });
  registerStaticRoutes(app, config.storage.path);
  // The seed's `queue` entry: the waiting jobs of every queue against HEALTH_QUEUE_MAX.
  const backlog = queueBacklogCheck(
    async () => (await platform.queueBackend.counts()).reduce((total, queue) => total + queue.waiting, 0),
    { max: config.health.queueMax, critical: config.health.backlogUnhealthy },
  );
  registerHealthRoutes(app, platform, [backlog, ...(options.healthChecks ?? [])]);
  registerAuthRoutes(app, {
    accountSections: new AccountSections(),
    platform,
    pages,
    redirectsOffSite: offSiteRedirects(config, definition, options.redirectsOffSite),
    sendResetMail: options.sendResetMail ?? queuedResetMail(platform),
  });
  for (const plugin of options.plugins ?? []) await plugin(app, platform);
  await definition.routes?.(app, { platform, pages, guards: app.rbacGuards });
  if (!app.hasRoute({ method: "GET", url: "/" })) {
    app.get("/", async (request, reply) =>
      request.user === null ? reply.redirect("/login", 303) : reply.redirect("/account", 303),
    );
  }
}

/** Sends the reset mail through the queue, so a slow or failing mail server never slows the form down. */
function queuedResetMail(platform: Platform): AuthRouteContext["sendResetMail"] {
  return async (to, link) => {
    await platform.queue.dispatch(mailSendJob, {
      id: `reset-${Date.now()}-${randomBytes(6).toString("hex")}`,
      to,
      subject: "Reset your MARG password",
      text: `Someone asked to reset the password of your MARG account.\n\nChoose a new password here (the link works once, for 60 minutes):\n${link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
    });
  };
}
