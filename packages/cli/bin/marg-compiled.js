#!/usr/bin/env node
// The `marg` command on compiled JavaScript: packages/*/dist, built by `npm run build`. What
// production runs (the rendered systemd units and supervisor programs, `marg deploy`'s steps),
// with no TypeScript loader in the process. Exit codes as bin/marg.js.
import "./preflight.js";
import { existsSync } from "node:fs";
import { register } from "node:module";

// An inherited `--conditions=development` (a test runner's NODE_OPTIONS, or on the command line)
// would send every `@marg/*` import to src/*.ts, which nothing here can run: a hook takes the
// condition away, and NODE_OPTIONS loses it too, for whatever this process starts.
const DEVELOPMENT_CONDITION = /(^|\s)(--conditions[= ]|-C\s*)development(?=\s|$)/g;
const nodeOptions = process.env.NODE_OPTIONS ?? "";
if (new RegExp(DEVELOPMENT_CONDITION.source).test(`${process.execArgv.join(" ")} ${nodeOptions}`)) {
  register("./production-condition.js", import.meta.url);
  const options = nodeOptions.replace(DEVELOPMENT_CONDITION, " ").trim();
  if (options === "") delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = options;
}

// A checkout that was never built (a first deploy's `marg down`, an operator's first command):
// build once, then run. A checkout that was built is run as built: `marg deploy` rebuilds it
// after every reset, so what runs is what was deployed.
const MAIN = new URL("../dist/main.js", import.meta.url);
if (!existsSync(MAIN)) {
  process.stderr.write("marg: no compiled code yet (packages/*/dist); building it once (npm run build)…\n");
  const { buildAll } = await import("../../../scripts/build.js");
  await buildAll();
}
const { main } = await import(MAIN.href);
process.exitCode = await main(process.argv);
