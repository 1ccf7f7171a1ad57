import { describe, expect, it } from "vitest";
import { type SessionsEndedEvent, sessionsEndedJob } from "../platform/index.js";
import { SyncQueueBackend } from "../queue/drivers/sync-queue-backend.js";
import { createJobRegistry, createQueue } from "../queue/index.js";
import { type SessionsEndedHook, sessionsEndedJobOver } from "./sessions-ended-handler.js";

// The handler on the sync driver (the queue's own runner, retries at once): every app's
// hook is called even when another's fails, and the job fails, and is retried, until all pass.

const EVENT: SessionsEndedEvent = { userId: 7, handles: ["h".repeat(22)], reason: "sign-out" };

function queueOver(hooks: readonly SessionsEndedHook[]) {
  const backend = new SyncQueueBackend({ registry: createJobRegistry([sessionsEndedJobOver(hooks)]) });
  return createQueue(backend);
}

function recorder(app: string, failures = 0) {
  const calls: SessionsEndedEvent[] = [];
  let left = failures;
  const hook: SessionsEndedHook = {
    app,
    async run(event) {
      calls.push(event);
      if (left > 0) {
        left -= 1;
        throw new Error(`${app} is down`);
      }
    },
  };
  return { hook, calls };
}

describe("the session.ended handler", () => {
  it("calls every app's hook with the event, once when all pass", async () => {
    const first = recorder("id");
    const second = recorder("probe");
    await queueOver([first.hook, second.hook]).dispatch(sessionsEndedJob, EVENT);
    expect(first.calls).toEqual([EVENT]);
    expect(second.calls).toEqual([EVENT]);
  });

  it("still calls the others when one fails, then retries the job, calling every hook again", async () => {
    const failing = recorder("id", 1);
    const other = recorder("probe");
    const queue = queueOver([failing.hook, other.hook]);
    await queue.dispatch(sessionsEndedJob, EVENT);
    expect(failing.calls).toEqual([EVENT, EVENT]);
    // The documented double call: hooks are idempotent.
    expect(other.calls).toEqual([EVENT, EVENT]);
    expect(await queue.failed()).toEqual([]);
  });

  it("ends in failed jobs naming the app whose hook never passes", async () => {
    const failing = recorder("id", 100);
    const other = recorder("probe");
    const queue = queueOver([failing.hook, other.hook]);
    await queue.dispatch(sessionsEndedJob, { userId: 7, handles: null, reason: "user-disabled" });
    const [failed] = await queue.failed();
    expect(failed?.name).toBe("session.ended");
    expect(failed?.error).toContain("onSessionsEnded failed in id");
    expect(other.calls.length).toBe(failed?.attempts);
  });

  it("refuses an event outside the contract at dispatch, queuing nothing", async () => {
    const hook = recorder("id");
    const queue = queueOver([hook.hook]);
    const bad = { userId: 0, handles: null, reason: "timeout" } as unknown as SessionsEndedEvent;
    await expect(queue.dispatch(sessionsEndedJob, bad)).rejects.toMatchObject({
      code: "E_QUEUE_PAYLOAD_INVALID",
    });
    expect(hook.calls).toEqual([]);
  });
});
