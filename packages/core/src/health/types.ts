/** One dependency /health looks at: the database, Redis, the queue backlog. */
export interface HealthCheck {
  /** Key in the seed's body: `database`, `redis`, `queue`. */
  readonly name: string;
  /**
   * Resolves when the dependency is fine, with an optional detail (e.g. a queue size);
   * rejects (or exceeds the timeout) when it is not. Must honour `signal` where it can.
   */
  run(signal: AbortSignal): Promise<HealthDetail | undefined>;
}

export interface HealthDetail {
  /** Overrides the word shown for this check ("healthy", "backlog", "not used"). */
  readonly status?: string;
  /** A failed-but-serving condition, like a queue backlog: reported, and unhealthy only if `critical`. */
  readonly degraded?: boolean;
  readonly critical?: boolean;
  readonly value?: number;
}

export interface CheckResult {
  readonly status: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
  readonly value?: number;
}

/** The seed's body plus `checks`: `{status, database, redis, queue, checks: {...}}`. */
export interface HealthReport {
  readonly status: "healthy" | "unhealthy";
  readonly [check: string]: unknown;
  readonly checks: Readonly<Record<string, CheckResult>>;
}
