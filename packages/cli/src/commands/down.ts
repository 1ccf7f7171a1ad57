import { MargError } from "@marg/core";
import type { Command } from "commander";
import {
  ALL_APPS,
  BYPASS_SECRET_PATTERN,
  bypassHashes,
  generateBypassSecret,
  type MaintenanceState,
  openMaintenanceStore,
} from "../../../core/src/maintenance/index.js";
import { isAddressOrCidr } from "../../../core/src/metrics/index.js";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { selectApps } from "../migration-sources.js";

// Until core's index.ts re-exports ./maintenance and ./metrics, these come from the modules directly.

interface DownFlags {
  app?: string;
  message: string;
  retry: string;
  secret?: string | true;
  allow: string[];
  workers?: boolean;
  json?: boolean;
}

const DEFAULT_MESSAGE = "MARG is being updated. Please try again in a minute.";

function usage(message: string): MargError {
  return new MargError("E_CLI_USAGE", message, { status: 400 });
}

/** Turns the flags into the record to store, or a usage error naming the bad flag. */
export function parseDownFlags(
  flags: DownFlags,
  now = Date.now(),
): { state: MaintenanceState; secret: string | undefined } {
  const message = flags.message.trim();
  if (message === "" || message.length > 500) throw usage("--message must be 1 to 500 characters.");
  const retry = Number(flags.retry);
  if (!/^\d+$/.test(flags.retry.trim()) || retry > 86_400) {
    throw usage(`--retry takes whole seconds from 0 to 86400 (0: no Retry-After); got "${flags.retry}".`);
  }
  const secret = flags.secret === true ? generateBypassSecret() : flags.secret;
  if (secret !== undefined && !BYPASS_SECRET_PATTERN.test(secret)) {
    throw usage("--secret must be 8 to 128 letters, digits, '-' or '_' (it becomes a URL path).");
  }
  const bad = flags.allow.find((entry) => !isAddressOrCidr(entry));
  if (bad !== undefined) throw usage(`--allow takes an IP address or CIDR (like 10.0.0.0/8); got "${bad}".`);
  const hashes = secret === undefined ? { secretHash: null, bypassCookieHash: null } : bypassHashes(secret);
  return {
    state: {
      scope: flags.app ?? ALL_APPS,
      message,
      retryAfterSeconds: retry === 0 ? null : retry,
      ...hashes,
      allow: flags.allow.map((entry) => entry.trim()),
      pauseWorkers: flags.workers === true,
      since: now,
    },
    secret,
  };
}

export function registerDown(program: Command, ctx: CliContext): void {
  program
    .command("down")
    .description(
      "Put an app (or every app) into maintenance mode on every server at once: 503 with Retry-After " +
        "and the maintenance page; /health keeps answering. Undo with `marg up`",
    )
    .option("--app <id>", "only this app (default: every app of MARG_APPS)")
    .option("--message <text>", "shown on the maintenance page", DEFAULT_MESSAGE)
    .option("--retry <seconds>", "sent as Retry-After (0: none)", "60")
    .option("--secret [token]", "visiting /<token> sets a bypass cookie (no value: generate one)")
    .option(
      "--allow <ip>",
      "an address or CIDR that still gets the site (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--workers", "also pause the queue workers (they finish the jobs in flight first)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (flags: DownFlags) => {
        const out = ctx.output(flags.json === true);
        const installation = ctx.config();
        if (flags.app !== undefined) selectApps(installation, flags.app);
        const { state, secret } = parseDownFlags(flags);
        const config = flags.app === undefined ? installation : ctx.config(flags.app);
        const opened = await openMaintenanceStore(config);
        try {
          await opened.store.put(state);
        } finally {
          await opened.close();
        }
        const which = flags.app === undefined ? "Every app" : `App ${flags.app}`;
        out.line(`${which} is down for maintenance on every server (within about 2 seconds).`);
        if (state.pauseWorkers) out.line("Queue workers pause after their current jobs.");
        if (secret !== undefined) {
          out.line(`Team bypass: open ${new URL(`/${secret}`, config.app.url).href} once to get through.`);
        }
        out.line(`Bring it back with: marg up${flags.app === undefined ? "" : ` --app ${flags.app}`}`);
        out.result({
          down: true,
          scope: state.scope,
          store: opened.store.driver,
          retryAfterSeconds: state.retryAfterSeconds,
          pauseWorkers: state.pauseWorkers,
          ...(secret === undefined ? {} : { bypassUrl: new URL(`/${secret}`, config.app.url).href }),
        });
        return EXIT.OK;
      }),
    );
}
