import { MargError } from "@marg/core/errors";
import type { Actor } from "../audit/actor.js";
import type { AuditLog } from "../audit/repository.js";
import { maskSecrets } from "./mask-secrets.js";
import type { AdminQueue } from "./queue.js";

/** How far back `retry`/`forget` look for the job they audit (the failed list is newest first). */
const SNAPSHOT_SCAN = 1000;

export function queueUnavailable(): MargError {
  return new MargError(
    "E_ADMIN_QUEUE_UNAVAILABLE",
    "This admin server has no queue connection, so jobs cannot be listed or changed here. Check QUEUE_CONNECTION and that the platform opens the queue.",
    { status: 503 },
  );
}

/**
 * The dashboard's buttons: retry / forget one failed job, retry / forget all.
 * The queue is not in the audit log's database (Redis, or its own tables), so
 * each change is audited right after it succeeds; a failed change writes nothing.
 */
export class QueueAdminService {
  readonly #queue: () => AdminQueue | undefined;
  readonly #audit: AuditLog;

  constructor(deps: { queue: () => AdminQueue | undefined; audit: AuditLog }) {
    this.#queue = deps.queue;
    this.#audit = deps.audit;
  }

  /** Puts a failed job back on its queue; returns its name (E_QUEUE_FAILED_JOB_NOT_FOUND when gone). */
  async retry(actor: Actor, id: string): Promise<string> {
    const queue = this.#require();
    const before = await this.#snapshot(queue, id);
    await queue.retry(id);
    await this.#record(actor, "job.retry", "job", id, before, { state: "waiting" });
    return before?.name ?? id;
  }

  async forget(actor: Actor, id: string): Promise<string> {
    const queue = this.#require();
    const before = await this.#snapshot(queue, id);
    await queue.forget(id);
    await this.#record(actor, "job.forget", "job", id, before, undefined);
    return before?.name ?? id;
  }

  async retryAll(actor: Actor): Promise<number> {
    const retried = await this.#require().retryAll();
    await this.#record(actor, "queue.retry-all", "queue", "*", undefined, { retried });
    return retried;
  }

  async flush(actor: Actor): Promise<number> {
    const forgotten = await this.#require().flush();
    await this.#record(actor, "queue.flush", "queue", "*", undefined, { forgotten });
    return forgotten;
  }

  #require(): AdminQueue {
    const queue = this.#queue();
    if (queue === undefined) throw queueUnavailable();
    return queue;
  }

  /** The failed job as the audit log keeps it: what it was, never its secrets. */
  async #snapshot(queue: AdminQueue, id: string) {
    const job = (await queue.failed({ limit: SNAPSHOT_SCAN })).find((candidate) => candidate.id === id);
    if (job === undefined) return undefined;
    const { queue: name, error, attempts } = job;
    return { id: job.id, queue: name, name: job.name, error, attempts, payload: maskSecrets(job.payload) };
  }

  #record(
    actor: Actor,
    action: string,
    subjectType: string,
    subjectId: string,
    before: unknown,
    after: unknown,
  ) {
    return this.#audit.record({
      actorUserId: actor.userId,
      ip: actor.ip,
      action,
      subjectType,
      subjectId,
      before,
      after,
    });
  }
}
