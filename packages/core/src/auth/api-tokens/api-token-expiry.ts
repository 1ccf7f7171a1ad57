import { MargError } from "../../errors/marg-error.js";
import { AUTH_ERRORS } from "../errors.js";

const DAY_MS = 86_400_000;

const invalid = (message: string) =>
  new MargError("E_AUTH_TOKEN_INPUT_INVALID", message, {
    status: AUTH_ERRORS.E_AUTH_TOKEN_INPUT_INVALID.status,
  });

/**
 * A token's expiry as people write it: `30d` (days from now), `2027-01-31` (the
 * token works through that day, UTC) or a full ISO time; blank for none. Epoch ms,
 * or undefined; E_AUTH_TOKEN_INPUT_INVALID for anything else or a past time. The
 * account page's date field and `marg token:create --expires` both read it.
 */
export function parseApiTokenExpiry(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim() ?? "";
  if (text === "") return undefined;
  const days = /^(\d{1,4})d$/.exec(text);
  if (days !== null) {
    const count = Number(days[1]);
    if (count === 0) throw invalid("An expiry of 0 days would end the token at once: give at least 1d.");
    return now + count * DAY_MS;
  }
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59.999Z` : text);
  if (Number.isNaN(at)) {
    throw invalid(
      `"${text.slice(0, 40)}" is not an expiry: give a number of days (30d) or a date (2027-01-31).`,
    );
  }
  if (at <= now) throw invalid(`The expiry ${text.slice(0, 40)} is in the past: give a later date.`);
  return at;
}
