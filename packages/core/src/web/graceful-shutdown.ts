import type { Server } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Logger } from "../logging/index.js";

/** Something to close after the last request has finished: a database pool, Redis, a queue. */
export interface ShutdownCloser {
  readonly name: string;
  close(): Promise<unknown> | unknown;
}

export interface GracefulShutdownOptions {
  /** Plain node:http servers (the host router): stop accepting, let requests finish. */
  servers?: readonly Server[];
  /** Fastify apps, listening or routed: closing them also runs their onClose hooks. */
  apps?: readonly FastifyInstance[];
  /** Run one after the other, in this order, once every server and app has closed. */
  closers?: readonly ShutdownCloser[];
  /** The most time given to in-flight requests and closers (SHUTDOWN_TIMEOUT). */
  timeoutSeconds: number;
  logger: Pick<Logger, "info" | "warn" | "error">;
  /** Default SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** Default `process.exit`; tests pass a spy. */
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** Starts the shutdown (as a signal would); resolves with the exit code it used. */
  shutdown(reason: string): Promise<number>;
  /** Removes the signal handlers. */
  dispose(): void;
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish,
 * close the apps (their onClose hooks), run the closers in order, exit 0. A
 * second signal, or `timeoutSeconds` passing, exits 1 at once. Keep-alive
 * sockets that go idle during the drain are closed as they do, so a browser
 * or load balancer holding one never keeps the process alive.
 *
 * @example
 * installGracefulShutdown({ apps: [app], closers: [{ name: "redis", close: () => redis.quit() }],
 *   timeoutSeconds: config.http.shutdownTimeoutSeconds, logger });
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { logger, timeoutSeconds } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let running: Promise<number> | undefined;

  const run = async (reason: string): Promise<number> => {
    logger.info({ reason, timeoutSeconds }, `Shutting down (${reason}): finishing in-flight requests`);
    const deadline = setTimeout(() => {
      logger.error({ timeoutSeconds }, `Shutdown took longer than ${timeoutSeconds}s; exiting with code 1`);
      exit(1);
    }, timeoutSeconds * 1000);
    deadline.unref();
    const sockets = [...(options.servers ?? []), ...(options.apps ?? []).map((app) => app.server)];
    const reaper = setInterval(() => {
      for (const server of sockets) server.closeIdleConnections();
    }, 100);
    let code = 0;
    try {
      await Promise.all((options.servers ?? []).map(closeServer));
      await Promise.all((options.apps ?? []).map((app) => app.close()));
    } catch (error) {
      logger.error({ err: error }, "Closing the HTTP servers failed");
      code = 1;
    } finally {
      clearInterval(reaper);
    }
    for (const closer of options.closers ?? []) {
      try {
        await closer.close();
      } catch (error) {
        logger.error({ err: error, closer: closer.name }, `Closing ${closer.name} failed`);
        code = 1;
      }
    }
    clearTimeout(deadline);
    logger.info({ code }, "Shutdown complete");
    exit(code);
    return code;
  };

  const shutdown = (reason: string): Promise<number> => {
    running ??= run(reason);
    return running;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (running !== undefined) {
      logger.warn({ signal }, `Second ${signal} during shutdown; exiting with code 1 now`);
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
