/**
 * What `npm test` needs from the machine before any suite starts: every system tool
 * listed in scripts/test-tools.txt on the PATH, Redis answering PING and MariaDB
 * accepting the test login. Reads: that list, the PATH, MARG_TEST_REDIS_* and
 * MARG_TEST_MYSQL_*. Writes nothing.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { TEST_MYSQL, TEST_REDIS } from "@marg/core/testing";
import mysql from "mysql2/promise";

export const TEST_TOOLS_FILE = path.join(import.meta.dirname, "test-tools.txt");
/** The one command that installs whatever the list names and the machine lacks. */
export const INSTALL_COMMAND = "scripts/install-test-tools.sh";

export interface TestTool {
  readonly command: string;
  readonly debianPackage: string;
}

export function readTestTools(file = TEST_TOOLS_FILE): TestTool[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "")
    .map((line) => {
      const [command = "", debianPackage = ""] = line.split(/\s+/);
      return { command, debianPackage };
    });
}

/** True when `command` is an executable file in one of PATH's folders (what spawn() finds). */
export function onPath(command: string, searchPath = process.env.PATH ?? ""): boolean {
  return searchPath
    .split(path.delimiter)
    .filter((dir) => dir !== "")
    .some((dir) => {
      try {
        accessSync(path.join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Redis answers PING (or says it wants a password, which still means it is there). */
function redisProblem(): Promise<string | undefined> {
  const where = `${TEST_REDIS.host}:${TEST_REDIS.port}`;
  return new Promise((resolve) => {
    const socket = connect(TEST_REDIS.port, TEST_REDIS.host);
    const done = (problem: string | undefined) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(3_000, () => done(`Redis at ${where} did not answer within 3 s`));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(`Redis is not reachable at ${where} (${error.code ?? error.message})`),
    );
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (reply: Buffer) => {
      const text = reply.toString();
      done(/^\+PONG|^-NOAUTH/.test(text) ? undefined : `Redis at ${where} answered PING with ${text.trim()}`);
    });
  });
}

async function mysqlProblem(): Promise<string | undefined> {
  const where = `${TEST_MYSQL.host}:${TEST_MYSQL.port} as ${TEST_MYSQL.user}`;
  try {
    const connection = await mysql.createConnection({ ...TEST_MYSQL, connectTimeout: 3_000 });
    await connection.query("SELECT 1");
    await connection.end();
    return undefined;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return `MariaDB is not reachable at ${where} (${code ?? message})`;
  }
}

/** The checkout's `engines` (higher than the apps' own: vitest 4's vite needs 20.19). */
function nodeProblem(): string | undefined {
  const file = path.join(import.meta.dirname, "..", "package.json");
  const engines = (JSON.parse(readFileSync(file, "utf8")) as { engines: { node: string } }).engines.node;
  const wanted = (/(\d+)\.(\d+)/.exec(engines) ?? []).slice(1, 3).map(Number);
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const [wantedMajor = 0, wantedMinor = 0] = wanted;
  if (major > wantedMajor || (major === wantedMajor && minor >= wantedMinor)) return undefined;
  return `npm test needs Node.js ${wantedMajor}.${wantedMinor} or newer (engines: ${engines}); this is ${process.versions.node}.`;
}

/** Everything missing, as one message for a person; undefined when the machine is ready. */
export async function testPrerequisitesMessage(): Promise<string | undefined> {
  const node = nodeProblem();
  const missing = readTestTools().filter((tool) => !onPath(tool.command));
  const [redis, mariadb] = await Promise.all([redisProblem(), mysqlProblem()]);
  const lines: string[] = node === undefined ? [] : [node];
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((tool) => tool.debianPackage))];
    lines.push(
      `npm test drives system tools this machine lacks: ${missing.map((tool) => tool.command).join(", ")}.`,
      `Install them (Debian/Ubuntu packages ${packages.join(", ")}) with: ${INSTALL_COMMAND}`,
    );
  }
  for (const problem of [redis, mariadb]) if (problem !== undefined) lines.push(`${problem}.`);
  if (redis !== undefined || mariadb !== undefined) {
    lines.push(
      "npm test needs Redis on 127.0.0.1:6379 and MariaDB on 127.0.0.1:3306 (root, empty password);",
      "`.ci/run` installs and starts both, or set MARG_TEST_REDIS_HOST/PORT and MARG_TEST_MYSQL_HOST/PORT/USER/PASSWORD.",
    );
  }
  return lines.length === 0 ? undefined : lines.join("\n");
}
