/** A bench step that ran past its deadline; the message names the step (and the target). */
export class BenchTimeoutError extends Error {
  readonly code = "E_BENCH_TIMEOUT";
}

/**
 * Resolves as `work` does, or rejects with BenchTimeoutError("<what> did not finish
 * within N s") once `ms` pass: every wait of a bench is bounded, so a stuck
 * server fails the run with a clear message instead of hanging it.
 */
export async function withDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BenchTimeoutError(`${what} did not finish within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
