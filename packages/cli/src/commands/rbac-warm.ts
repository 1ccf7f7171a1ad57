import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { withRbac } from "./rbac-context.js";

interface WarmOptions {
  user?: string[];
  batchSize?: string;
  invalidate?: boolean;
  json?: boolean;
}

/** `marg rbac:warm`: runs the rbac:warm job now, in this process. */
export function registerRbacWarm(program: Command, ctx: CliContext): void {
  program
    .command("rbac:warm")
    .description("Load active users' permission sets into the shared cache now (what the rbac:warm job does)")
    .option("--user <user...>", "only these users (email or id)")
    .option("--batch-size <n>", "users loaded per query", "500")
    .option(
      "--invalidate",
      "first retire everything cached (after changes made while the cache was unreachable)",
    )
    .option("--json", "print the result as JSON")
    .action(
      ctx.action((options: WarmOptions) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const batchSize = Number(options.batchSize ?? 500);
          if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) {
            out.error(`--batch-size must be a whole number from 1 to 5000, got '${options.batchSize}'.`);
            return EXIT.USAGE;
          }
          if (opened.cacheDriver === undefined || !opened.config.rbac.cacheEnabled) {
            const why =
              opened.cacheDriver === undefined
                ? "CACHE_STORE=memory is private to each process"
                : "RBAC_CACHE_ENABLED=false";
            out.warn(`nothing to warm: ${why}.`);
            out.result({ users: 0, written: 0, skipped: why });
            return EXIT.OK;
          }
          if (options.invalidate) await opened.rbac.invalidateCache();
          const userIds =
            options.user === undefined
              ? undefined
              : await Promise.all(options.user.map((u) => opened.rbac.resolveUser(u)));
          const { warmRbacCache } = await import("./rbac-core.js");
          const result = await warmRbacCache(
            { rbac: opened.rbac, users: opened.users },
            { batchSize, ...(userIds === undefined ? {} : { userIds }) },
          );
          out.line(
            `Warmed ${result.written} of ${result.users} users in ${result.durationMs} ms (${opened.cacheDriver} cache).`,
          );
          out.result(result);
          if (result.written < result.users) {
            out.warn(
              `the ${opened.cacheDriver} cache could not be written; checks read the database until it is reachable.`,
            );
            return EXIT.FAILURE;
          }
          return EXIT.OK;
        }),
      ),
    );
}
