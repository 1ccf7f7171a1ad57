import { spawn } from "node:child_process";

/**
 * Runs a deploy command through `sh -c`, passing each output line to `onLine`;
 * resolves to the exit code (null when it was killed after `timeoutMs`).
 */
export function runShell(
  command: string,
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; onLine: (line: string) => void; cwd?: string },
): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], {
      env: options.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) options.onLine(line);
      });
      stream.on("end", () => {
        if (rest !== "") options.onLine(rest);
      });
    }
    child.once("error", (error) => {
      options.onLine(error.message);
    });
    // "exit", not "close": a service the command starts in the background may keep our pipes open.
    child.once("exit", (code) => {
      clearTimeout(timer);
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve(code);
      }, 50);
    });
  });
}
