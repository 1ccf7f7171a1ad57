import { z } from "zod";
import { MargError } from "../errors/marg-error.js";
import type { UserDirectory } from "./types.js";

/** The queue name of the warm-up job. */
export const RBAC_WARM_JOB = "rbac:warm";

/** The job's payload, as the queue validates it on dispatch and on run. */
export const rbacWarmPayloadSchema = z
  .object({
    /** Warm only these users; omitted: every user that is not disabled. */
    userIds: z.array(z.number().int().positive()).max(100_000).optional(),
    /** Users loaded per round trip. Default 500. */
    batchSize: z.number().int().min(1).max(5000).optional(),
  })
  .strict();

export type RbacWarmPayload = z.infer<typeof rbacWarmPayloadSchema>;

export interface RbacWarmResult {
  /** Users whose sets were loaded. */
  readonly users: number;
  /** Entries written to the shared cache (0 when caching is off or the store is down). */
  readonly written: number;
  readonly batches: number;
  readonly durationMs: number;
}

export interface RbacWarmDeps {
  readonly rbac: { warm(userIds: readonly number[]): Promise<number> };
  readonly users: UserDirectory;
}

/** Checks a job payload from the queue; a bad one is a clear E_VALIDATION, never a crash. */
export function parseWarmPayload(payload: unknown): RbacWarmPayload {
  const result = rbacWarmPayloadSchema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`,
  );
  throw new MargError("E_VALIDATION", `The rbac:warm payload is invalid (${problems.join("; ")}).`, {
    status: 422,
    details: { fields: { payload: problems } },
  });
}

/**
 * Loads the permission sets of active users (or of `userIds`) into the shared
 * cache, a batch at a time, so after a deploy or a bulk change every server's
 * first check is a cache hit. `marg rbac:warm` runs it now; the worker runs the job.
 */
export async function warmRbacCache(
  deps: RbacWarmDeps,
  payload: RbacWarmPayload = {},
): Promise<RbacWarmResult> {
  const started = performance.now();
  const batchSize = payload.batchSize ?? 500;
  let users = 0;
  let written = 0;
  let batches = 0;
  const warmBatch = async (ids: readonly number[]) => {
    users += ids.length;
    batches += 1;
    written += await deps.rbac.warm(ids);
  };
  if (payload.userIds !== undefined) {
    for (let i = 0; i < payload.userIds.length; i += batchSize)
      await warmBatch(payload.userIds.slice(i, i + batchSize));
  } else {
    let afterId = 0;
    for (;;) {
      const ids = await deps.users.listActiveIds({ afterId, limit: batchSize });
      if (ids.length === 0) break;
      await warmBatch(ids);
      afterId = ids[ids.length - 1] ?? afterId;
      if (ids.length < batchSize) break;
    }
  }
  return { users, written, batches, durationMs: Math.round(performance.now() - started) };
}

/**
 * The job the worker runs, shaped `{ name, schema, handler(payload) }` for the
 * queue's `defineJob` to wrap (the handler validates again, so it is safe alone).
 *
 * @example
 * registry.add(defineJob(createRbacWarmJob({ rbac, users })));
 */
export function createRbacWarmJob(deps: RbacWarmDeps) {
  return {
    name: RBAC_WARM_JOB,
    schema: rbacWarmPayloadSchema,
    /** Validates again (safe without the queue), warms, and logs the counts through the job's logger. */
    async handler(
      payload: unknown,
      ctx?: { readonly log: { info(data: Record<string, unknown>, message: string): void } },
    ): Promise<void> {
      const result = await warmRbacCache(deps, parseWarmPayload(payload));
      ctx?.log.info({ ...result }, "RBAC cache warmed");
    },
  } as const;
}
