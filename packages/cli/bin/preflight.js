// What both launchers (marg.js, marg-compiled.js) do before anything is imported: plain JS that
// imports nothing of MARG's, so it runs first (an ES module's imports evaluate in order).
import { readFileSync } from "node:fs";

// The sources use Node features newer than some installed Nodes (import.meta.dirname is
// 20.11+): say so in one line rather than fail later with a TypeError. The minimum is the
// one this package's `engines` declares.
const engines = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).engines;
const minimum = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(engines.node ?? "") ?? [];
const wanted = minimum.slice(1, 4).map((part) => Number(part ?? 0));
const running = process.versions.node.split(".").map(Number);
const older = wanted.findIndex((part, index) => (running[index] ?? 0) !== part);
if (older !== -1 && (running[older] ?? 0) < (wanted[older] ?? 0)) {
  process.stderr.write(
    `marg needs Node.js ${wanted.join(".")} or newer (engines: ${engines.node}); this is ${process.versions.node}.\n`,
  );
  process.exit(1);
}

// `marg doctor | head -1`: the reader has gone, so there is nobody left to tell.
// Stop quietly, as git and grep do, instead of crashing on the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}
