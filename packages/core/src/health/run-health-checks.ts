import type { CheckResult, HealthCheck, HealthReport } from "./types.js";

/** The word the seed uses for a passing check, by name. */
const OK_WORD: Record<string, string> = { database: "connected", redis: "connected", queue: "healthy" };
const FAIL_WORD: Record<string, string> = {
  database: "disconnected",
  redis: "disconnected",
  queue: "unknown",
};

class CheckTimeout extends Error {}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimeout(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const detail = await Promise.race([check.run(controller.signal), timeout]);
    const degraded = detail?.degraded === true;
    return {
      status: detail?.status ?? OK_WORD[check.name] ?? "ok",
      ok: !(degraded && detail?.critical === true),
      latencyMs: Math.round(performance.now() - started),
      ...(detail?.value === undefined ? {} : { value: detail.value }),
    };
  } catch (error) {
    // The message names the failure (ECONNREFUSED, timeout); drivers never put secrets in it.
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: FAIL_WORD[check.name] ?? "failing",
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: message.slice(0, 200),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs`, so /health answers in
 * about that time even when a dependency hangs. Any failing check makes the whole
 * report unhealthy (HTTP 503): a load balancer must never keep a server whose
 * database is gone — the seed's version answered 200 in that case.
 */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  options: { timeoutMs: number; extra?: Readonly<Record<string, string>> },
): Promise<HealthReport> {
  const results = await Promise.all(checks.map((check) => runOne(check, options.timeoutMs)));
  const byName: Record<string, CheckResult> = {};
  const words: Record<string, string> = { ...options.extra };
  checks.forEach((check, index) => {
    const result = results[index];
    if (result === undefined) return;
    byName[check.name] = result;
    words[check.name] = result.status;
  });
  const healthy = results.every((result) => result.ok);
  return { status: healthy ? "healthy" : "unhealthy", ...words, checks: byName };
}
