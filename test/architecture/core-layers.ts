/**
 * The layers of @marg/core, bottom first. A file of core's production code may
 * import its own folder, its own layer and the layers below it, never one above:
 * that is "core points one way". Inside a layer, folders may import each other
 * as long as they form no cycle. `import-direction.test.ts` checks both.
 */
export const CORE_LAYERS: readonly (readonly string[])[] = [
  // What every other file may use: the error type, keys and hashes, the request context, config, logs.
  ["errors"],
  ["crypto", "context", "config", "logging"],
  // Connections: SQL (with migrations and seeders as contracts) and Redis.
  ["db", "redis"],
  // Capabilities: each owns its stores, services, errors, migrations and seeders.
  ["cache", "session", "auth", "rbac", "queue", "mail", "maintenance", "metrics", "health", "audit", "oidc"],
  // One platform from the capabilities (create-platform, platform jobs, process names); doctor reads it.
  ["platform", "doctor"],
  // HTTP: the request path, pages and error rendering.
  ["web"],
  // An app's definition: its routes, views, jobs, migrations, served by web and run by the kernel.
  ["app"],
  // The composition root: core's lists of errors, migrations and seeders; web, worker and migrate.
  ["kernel"],
];

/**
 * Test code: the suites, their support files and `@marg/core/testing`. It may
 * import any layer (a test of rbac may start a web server); production code may
 * never import it.
 */
export function isTestCode(file: string): boolean {
  return /\.test\.ts$|\/test-support\/|test-support\.ts$|\/test-fixtures\/|^(packages|apps)\/[^/]+\/src\/testing\//.test(
    file,
  );
}

/** The core folder (capability) a repo-relative path lies in, if it is in core's src. */
export function coreFolderOf(file: string): string | undefined {
  return /^packages\/core\/src\/([^/]+)\//.exec(file)?.[1];
}

/** The layer index of a core folder; undefined for a folder no layer names. */
export function layerOf(folder: string): number | undefined {
  const index = CORE_LAYERS.findIndex((layer) => layer.includes(folder));
  return index === -1 ? undefined : index;
}
