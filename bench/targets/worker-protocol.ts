// The queue bench's worker processes are driven over Node's IPC channel, so their
// stdout stays free for the worker's own log lines (sent to a file, as supervisor
// does). A worker process starts idle; `start` makes it take jobs, `stop` makes it
// stop cleanly (jobs in flight finish, the backend closes), `exit` ends it. The
// process stays alive between start and stop, so rounds run on a warm process.
// This file holds no MARG import: the bare BullMQ worker uses it too.

export type WorkerCommand = { readonly cmd: "start" } | { readonly cmd: "stop" } | { readonly cmd: "exit" };

export type WorkerEvent =
  | { readonly event: "ready" }
  | { readonly event: "started" }
  /** `completed`: jobs the worker counted as completed since its start (null where it keeps no count). */
  | { readonly event: "stopped"; readonly completed: number | null }
  | { readonly event: "failed"; readonly message: string };

export interface WorkerHandlers {
  /** Starts taking jobs; resolves once the worker runs. */
  start(): Promise<void>;
  /** Stops taking jobs, lets the ones in flight finish; resolves with the completed count (or null). */
  stop(): Promise<number | null>;
}

function send(event: WorkerEvent): void {
  process.send?.(event);
}

/** Child side: answers the parent's commands one at a time, and exits when the parent goes away. */
export function serveWorkerCommands(handlers: WorkerHandlers): void {
  if (process.send === undefined) {
    console.error(
      "this is a worker of bench/queue.bench.ts: start it through the bench (it needs an IPC channel)",
    );
    process.exit(2);
  }
  let chain = Promise.resolve();
  let running = false;
  const handle = async (command: WorkerCommand): Promise<void> => {
    try {
      if (command.cmd === "start") {
        await handlers.start();
        running = true;
        send({ event: "started" });
      } else if (command.cmd === "stop") {
        const completed = running ? await handlers.stop() : null;
        running = false;
        send({ event: "stopped", completed });
      } else {
        if (running) await handlers.stop();
        // process.exit (not a kill) so that --cpu-prof writes its profile.
        process.exit(0);
      }
    } catch (error) {
      send({
        event: "failed",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  };
  process.on("message", (message: WorkerCommand) => {
    chain = chain.then(() => handle(message));
  });
  // The bench died or was interrupted: nobody will stop this worker, so leave now.
  process.on("disconnect", () => process.exit(0));
  send({ event: "ready" });
}
