#!/usr/bin/env node
// The `marg` command. Runs the TypeScript sources through tsx, so a laptop needs
// no build step; exit codes: 0 ok, 1 failure (or warnings, where a command says so), 2 usage.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv);
