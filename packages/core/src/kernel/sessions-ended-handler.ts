import type { SessionsEndedEvent } from "../platform/index.js";
import { type Platform, sessionsEndedJob } from "../platform/index.js";
import { type AnyJobDefinition, defineJob } from "../queue/index.js";
import type { Kernel } from "./types.js";

/** One app's `onSessionsEnded`, built with the platform of the process that runs it. */
export interface SessionsEndedHook {
  readonly app: string;
  readonly run: (event: SessionsEndedEvent) => Promise<void>;
}

/**
 * The `session.ended` job over these hooks: every hook is called, even when another
 * fails. Any failure is logged with its app and fails the job, so the queue retries it
 * with backoff; the retry calls every hook again (not only the failed ones), which is
 * why hooks must be idempotent. With no hooks the job does nothing.
 */
export function sessionsEndedJobOver(hooks: readonly SessionsEndedHook[]): AnyJobDefinition {
  return defineJob({
    ...sessionsEndedJob,
    async handler(event, ctx) {
      const outcomes = await Promise.allSettled(hooks.map((hook) => hook.run(event)));
      const failed: string[] = [];
      outcomes.forEach((outcome, index) => {
        if (outcome.status === "fulfilled") return;
        const app = hooks[index]?.app ?? "?";
        failed.push(app);
        ctx.log.error(
          { err: outcome.reason, app, userId: event.userId, reason: event.reason },
          `${app}'s onSessionsEnded failed`,
        );
      });
      if (failed.length > 0) {
        throw new Error(
          `onSessionsEnded failed in ${failed.join(", ")} (attempt ${ctx.attempt} of ${ctx.maxAttempts}); ` +
            "a retry calls every app's hook again.",
        );
      }
    },
  }) as AnyJobDefinition;
}

/** `session.ended` over the hooks of every app of MARG_APPS, each built once with `platform`. */
export async function createSessionsEndedHandler(
  kernel: Kernel,
  platform: Platform,
): Promise<AnyJobDefinition> {
  const hooks: SessionsEndedHook[] = [];
  for (const id of platform.config.app.apps) {
    const definition = await kernel.definition(id);
    if (definition.onSessionsEnded !== undefined) {
      hooks.push({ app: id, run: definition.onSessionsEnded(platform) });
    }
  }
  return sessionsEndedJobOver(hooks);
}
