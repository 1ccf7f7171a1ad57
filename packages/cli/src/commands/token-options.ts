import { MargError } from "@marg/core/errors";

const usage = (message: string) => new MargError("E_CLI_USAGE", message, { status: 400 });
const DAY_MS = 86_400_000;

/** `a,b, c` → ["a", "b", "c"]; undefined when the option was not given. */
export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * `--expires`: `30d` (days from now), `2027-01-31` (the token works through that
 * day, UTC) or a full ISO time. Epoch ms; undefined for no expiry.
 */
export function parseExpiry(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const days = /^(\d{1,4})d$/.exec(value.trim());
  if (days !== null) {
    const count = Number(days[1]);
    if (count === 0) throw usage("--expires 0d would expire at once: give at least 1d.");
    return now + count * DAY_MS;
  }
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T23:59:59.999Z` : value.trim();
  const at = Date.parse(text);
  if (Number.isNaN(at)) {
    throw usage(`--expires ${value}: give a number of days (30d) or a date (2027-01-31).`);
  }
  if (at <= now) throw usage(`--expires ${value} is in the past: give a later date.`);
  return at;
}

/** Epoch ms as `2027-01-31 23:59 UTC`, or a dash. */
export function formatTime(ms: number | null): string {
  if (ms === null) return "-";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
