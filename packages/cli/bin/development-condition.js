// A module-resolution hook for running MARG from source: adds the `development` export
// condition, so every `@marg/*` import resolves to the package's `src/` (see each
// package.json's `exports`) instead of its compiled `dist/`. Registered by bin/marg.js.
export function resolve(specifier, context, next) {
  if (context.conditions.includes("development")) return next(specifier, context);
  return next(specifier, { ...context, conditions: [...context.conditions, "development"] });
}
