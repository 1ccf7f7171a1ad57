import { probe as httpProbe, type ProbeResponse } from "./http-probe.js";

/** One app of MARG_APPS and where its /health answers. */
export interface HealthTarget {
  readonly id: string;
  readonly title: string;
  /** The app's origin, e.g. http://flow.marg.localhost:8000. */
  readonly url: string;
}

export interface AppCheck {
  readonly name: string;
  readonly status: string;
  readonly ok: boolean;
  readonly latencyMs: number | null;
  readonly error: string | null;
}

/** One app's answer, as the overview shows it. */
export interface AppHealth {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  /** `healthy`, `unhealthy` (503 or a failing check), `unreachable`, `timeout`, `invalid` (not a health report). */
  readonly status: "healthy" | "unhealthy" | "unreachable" | "timeout" | "invalid";
  readonly httpStatus: number | null;
  /** Round trip of the probe, in ms. */
  readonly latencyMs: number;
  readonly checks: readonly AppCheck[];
  readonly error: string | null;
}

export type Probe = (url: string, signal: AbortSignal) => Promise<ProbeResponse>;

/** Each app's budget: long enough for a loaded server, short enough that the page never hangs. */
export const HEALTH_TIMEOUT_MS = 1500;

function parseChecks(value: unknown): AppCheck[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).map(([name, raw]) => {
    const check = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    return {
      name,
      status: typeof check.status === "string" ? check.status : "unknown",
      ok: check.ok === true,
      latencyMs: typeof check.latencyMs === "number" ? check.latencyMs : null,
      error: typeof check.error === "string" ? check.error : null,
    };
  });
}

function reportOf(response: ProbeResponse): Pick<AppHealth, "status" | "checks" | "error"> {
  let report: unknown;
  try {
    report = JSON.parse(response.body);
  } catch {
    return {
      status: "invalid",
      checks: [],
      error: `answered ${response.status} without a JSON health report`,
    };
  }
  const body = (typeof report === "object" && report !== null ? report : {}) as Record<string, unknown>;
  const checks = parseChecks(body.checks);
  const healthy = response.status === 200 && body.status === "healthy";
  if (body.status !== "healthy" && body.status !== "unhealthy") {
    return { status: "invalid", checks, error: `answered ${response.status} without a health status` };
  }
  return { status: healthy ? "healthy" : "unhealthy", checks, error: null };
}

/**
 * Asks every app's `/health`, in parallel, each within `timeoutMs`, and reports
 * what each said: status, every check, latency. A dead app is a row that says
 * so, never an error page.
 */
export async function checkAppsHealth(
  targets: readonly HealthTarget[],
  options: { timeoutMs?: number; probe?: Probe } = {},
): Promise<AppHealth[]> {
  const timeoutMs = options.timeoutMs ?? HEALTH_TIMEOUT_MS;
  const probe = options.probe ?? httpProbe;
  return Promise.all(
    targets.map(async (target): Promise<AppHealth> => {
      const started = performance.now();
      const base = { id: target.id, title: target.title, url: target.url };
      const elapsed = () => Math.round(performance.now() - started);
      try {
        const response = await probe(`${target.url}/health`, AbortSignal.timeout(timeoutMs));
        return { ...base, ...reportOf(response), httpStatus: response.status, latencyMs: elapsed() };
      } catch (error) {
        const timedOut =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        const message = timedOut
          ? `no answer within ${timeoutMs} ms`
          : error instanceof Error
            ? error.message.slice(0, 200)
            : String(error);
        return {
          ...base,
          status: timedOut ? "timeout" : "unreachable",
          httpStatus: null,
          latencyMs: elapsed(),
          checks: [],
          error: message,
        };
      }
    }),
  );
}
