import { MargError } from "../errors/marg-error.js";

/** Ending a session that is not (or no longer) one of the user's: never says which. */
export function sessionNotFound(): MargError {
  return new MargError(
    "E_SESSION_NOT_FOUND",
    "That session has already ended. Reload the page to see the sessions still signed in.",
    { status: 404 },
  );
}
