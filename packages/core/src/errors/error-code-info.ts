/**
 * One entry of an error list: each capability declares its codes in its own
 * `errors.ts` as a `Record<code, ErrorCodeInfo>`, and the lists are composed
 * above the capabilities (core's in `kernel/core-errors.ts`, every package's in
 * `marg errors:doc`). docs/errors.md lists the same codes.
 * Codes are never reused: retire one by leaving it in its list with `retired: true`.
 */
export interface ErrorCodeInfo {
  readonly status: number;
  readonly meaning: string;
  readonly retired?: boolean;
}
