#!/usr/bin/env node
// The `marg` command. Runs the TypeScript sources through tsx, so a laptop needs
// no build step; exit codes (src/exit-codes.ts): 0 ok, 1 failure (doctor: warnings), 2 usage,
// 3 doctor's failures.
import { register } from "tsx/esm/api";

// `marg doctor | head -1`: the reader has gone, so there is nobody left to tell.
// Stop quietly, as git and grep do, instead of crashing on the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv);
