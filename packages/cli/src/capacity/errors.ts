import type { ErrorCodeInfo } from "@marg/core/errors";

/** Error codes of `marg capacity --from` (merged into docs/errors.md by `allErrorCodes()`). */
export const CAPACITY_ERRORS = {
  E_BENCH_RESULTS_MISSING: {
    status: 400,
    meaning:
      "The bench results file given to `marg capacity --from` does not exist or cannot be read; run `npm run bench` first, or leave out --from.",
  },
  E_BENCH_RESULTS_NOT_JSON: {
    status: 400,
    meaning:
      "The bench results file is not JSON; pass the file `npm run bench` writes (bench/results/latest.json).",
  },
  E_BENCH_RESULTS_INVALID: {
    status: 400,
    meaning:
      "The bench results file has no valid `capacity` block (the message names each problem); rerun `npm run bench`.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
