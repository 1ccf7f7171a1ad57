import { isMargError, MargError } from "../../errors/marg-error.js";

/**
 * The one place a throttle driver's failure becomes a core error. Sign-in fails
 * closed (503) rather than running unthrottled while its store is down.
 */
export async function guardThrottleStore<T>(driver: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isMargError(error)) throw error;
    throw new MargError(
      "E_AUTH_THROTTLE_STORE",
      `Sign-in is unavailable: the ${driver} throttle store could not be used. Check that ${driver} is reachable.`,
      { status: 503, cause: error },
    );
  }
}
