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

export const UPWARD_IMPORTS_LEFT: readonly UpwardImport[] = [
  {
    from: "packages/core/src/web/app-links.ts",
    to: "app",
    why: "reads each app's id and title from its definition to link the apps in the layout; the type moves below web or the links are built by the kernel",
  },
];

export interface CrossPackageImport {
  /** The file that imports another package's src/ by path. */
  readonly file: string;
  readonly why: string;
}

export const CROSS_PACKAGE_SRC_LEFT: readonly CrossPackageImport[] = [
  {
    file: "test/security/rate-limits.test.ts",
    why: "flow's API client lives in apps/flow's test support; flow's reshape (issue 16, item 4) exports it as @marg/flow/testing",
  },
  {
    file: "bench/redirect.bench.ts",
    why: "starts links' test server from apps/links' test support; links' reshape exports it (or startTestApp) as @marg/links/testing",
  },
  {
    file: "bench/report-export.bench.ts",
    why: "drives flow's report repository and service directly; flow's reshape exports them through a subpath",
  },
];
