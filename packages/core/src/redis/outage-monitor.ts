import type { Redis } from "ioredis";
import type { Logger } from "../logging/index.js";

export type RedisLogger = Pick<Logger, "error" | "info" | "debug">;

interface Watched {
  readonly onClose: () => void;
  readonly onReady: () => void;
}

/**
 * Turns ioredis' per-attempt noise into two log lines per outage: one when the
 * first connection drops or fails ("Redis unavailable"), one when every
 * connection is back ("Redis back after Ns"). It also gives each client the
 * 'error' listener without which Node would crash the process on an outage.
 */
export class RedisOutageMonitor {
  readonly #logger: RedisLogger;
  readonly #endpoint: string;
  readonly #hide: readonly string[];
  readonly #watched = new Map<Redis, Watched>();
  readonly #down = new Set<Redis>();
  #outageStartedAt: number | undefined;

  /** `hide`: strings (passwords) scrubbed from any cause text before it is logged. */
  constructor(logger: RedisLogger, endpoint: string, hide: readonly string[]) {
    this.#logger = logger;
    this.#endpoint = endpoint;
    this.#hide = hide.filter((value) => value.length > 0);
  }

  watch(client: Redis, role: string): void {
    const watched: Watched = {
      onClose: () => this.#markDown(client, role, "connection closed"),
      onReady: () => this.#markUp(client, role),
    };
    client.on("error", (error: Error) => this.#markDown(client, role, this.#describe(error)));
    client.on("close", watched.onClose).on("ready", watched.onReady);
    this.#watched.set(client, watched);
  }

  /** Stops watching before an intentional close, so a shutdown is not logged as an outage. */
  forget(client: Redis): void {
    this.#down.delete(client);
    // The 'error' listener stays (#markDown ignores forgotten clients): an error
    // while closing must still not crash the process.
    const watched = this.#watched.get(client);
    if (watched !== undefined) client.off("close", watched.onClose).off("ready", watched.onReady);
    this.#watched.delete(client);
    this.#maybeRecovered();
  }

  #markDown(client: Redis, role: string, cause: string): void {
    if (!this.#watched.has(client)) return;
    this.#down.add(client);
    if (this.#outageStartedAt !== undefined) return;
    this.#outageStartedAt = Date.now();
    // A refused password does not heal by waiting: say which setting to fix.
    const hint = /WRONGPASS|NOAUTH|\bAUTH\b/.test(cause)
      ? "; check REDIS_PASSWORD (and REDIS_SENTINEL_PASSWORD with Sentinel)"
      : "";
    this.#logger.error(
      { redis: this.#endpoint, role, cause },
      `Redis unavailable at ${this.#endpoint} (${cause})${hint}; retrying with backoff until it is back`,
    );
  }

  #markUp(client: Redis, role: string): void {
    this.#down.delete(client);
    if (this.#outageStartedAt === undefined) {
      this.#logger.debug({ redis: this.#endpoint, role }, "Redis connected");
      return;
    }
    this.#maybeRecovered();
  }

  #maybeRecovered(): void {
    if (this.#outageStartedAt === undefined || this.#down.size > 0) return;
    const downForMs = Date.now() - this.#outageStartedAt;
    this.#outageStartedAt = undefined;
    const seconds = (downForMs / 1000).toFixed(1);
    this.#logger.info(
      { redis: this.#endpoint, downForMs },
      `Redis back after ${seconds}s at ${this.#endpoint}`,
    );
  }

  #describe(error: Error): string {
    const code = (error as { code?: unknown }).code;
    let text =
      typeof code === "string" && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
    for (const secret of this.#hide) text = text.replaceAll(secret, "[redacted]");
    return text;
  }
}
