#!/usr/bin/env node
// The `marg` command. In a checkout with its development dependencies (a developer's clone,
// `npm start`, `npm test`) it runs the TypeScript sources through tsx, so there is no build step
// and no dist/ that could be stale. Where tsx is not installed (`npm ci --omit=dev`: a server)
// it runs the compiled code, as bin/marg-compiled.js, which is what production's units name.
// Exit codes (src/exit-codes.ts): 0 ok, 1 failure (doctor: warnings), 2 usage, 3 doctor's failures.
import "./preflight.js";

/** Whether tsx can be loaded here; resolving it loads nothing. */
function hasTsx() {
  try {
    import.meta.resolve("tsx/esm/api");
    return true;
  } catch {
    return false;
  }
}

if (hasTsx()) {
  // From source: tsx compiles the TypeScript, and the `development` export condition makes
  // every `@marg/*` import resolve to `src/` (each package's `exports`), not to `dist/`.
  const { register } = await import("tsx/esm/api");
  register();
  const { register: registerHooks } = await import("node:module");
  registerHooks("./development-condition.js", import.meta.url);
  const { main } = await import("../src/main.ts");
  process.exitCode = await main(process.argv);
} else {
  await import("./marg-compiled.js");
}
