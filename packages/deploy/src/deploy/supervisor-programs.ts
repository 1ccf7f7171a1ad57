import { execFile } from "node:child_process";

/** Program names from `supervisorctl avail` output (`marg-flow  in use  auto  999:999`, `group:name …`). */
export function parseSupervisorAvail(output: string): string[] {
  return output
    .split("\n")
    .map((line) => /^(\S+)\s+(in use|avail)\b/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/**
 * The programs the server's supervisord runs, asked with the same command the
 * deploy restarts them with (`[sudo] supervisorctl [-s socket]`). Undefined when
 * supervisorctl cannot answer: the plan then restarts every name, and that step
 * fails with supervisorctl's own message.
 */
export function listSupervisorPrograms(control: readonly string[]): Promise<string[] | undefined> {
  const [command = "supervisorctl", ...args] = control;
  return new Promise((resolve) => {
    execFile(command, [...args, "avail"], { timeout: 30_000 }, (error, stdout) => {
      const programs = parseSupervisorAvail(stdout);
      resolve(error === null || programs.length > 0 ? programs : undefined);
    });
  });
}
