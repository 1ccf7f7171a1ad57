import { MargError } from "@marg/core/errors";
import { selectApps } from "@marg/core/kernel";
import {
  ALL_APPS,
  BYPASS_SECRET_PATTERN,
  bypassHashes,
  generateBypassSecret,
  type MaintenanceState,
  openMaintenanceStore,
} from "@marg/core/maintenance";
import { isAddressOrCidr } from "@marg/core/metrics";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

/** The flags of `marg down`, as commander parses them. */
export interface DownFlags {
  app?: string;
  message: string;
  retry: string;
  secret?: string | true;
  allow: string[];
  workers?: boolean;
  json?: boolean;
}

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

/** What `marg down` runs (loaded by its action, so `marg --help` does not load the platform). */
export async function runDown(ctx: CliContext, flags: DownFlags): Promise<number> {
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
}
