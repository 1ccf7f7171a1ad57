// A module-resolution hook for running MARG compiled under a NODE_OPTIONS that asks for the
// `development` export condition (a test runner's, which starts its own processes from source):
// takes the condition away, so every `@marg/*` import resolves to the package's `dist/` and
// nothing reaches for a .ts file that no loader could run. Registered by bin/marg-compiled.js.
export function resolve(specifier, context, next) {
  if (!context.conditions.includes("development")) return next(specifier, context);
  return next(specifier, {
    ...context,
    conditions: context.conditions.filter((name) => name !== "development"),
  });
}
