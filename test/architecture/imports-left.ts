/**
 * The imports that still go the wrong way, each with the reason it was left and
 * who removes it. `import-direction.test.ts` fails on any other, and on an entry
 * here that no longer occurs, so this list only shrinks.
 */

/** The workspace package a repo-relative path lies in (`packages/core`, `apps/flow`), if any. */
export function packageOf(file: string): string | undefined {
  return /^((?:packages|apps)\/[^/]+)\//.exec(file)?.[1];
}

export interface UpwardImport {
  /** The importing file, repo-relative. */
  readonly from: string;
  /** The core folder above it that it imports. */
  readonly to: string;
  readonly why: string;
}

export const UPWARD_IMPORTS_LEFT: readonly UpwardImport[] = [];

export interface CrossPackageImport {
  /** The file that imports another package's src/ by path. */
  readonly file: string;
  readonly why: string;
}

export const CROSS_PACKAGE_SRC_LEFT: readonly CrossPackageImport[] = [];
