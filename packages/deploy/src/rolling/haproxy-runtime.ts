import { createConnection } from "node:net";
import { MargError } from "@marg/core/errors";

/** A server's state as the runtime API shows it. */
export interface ServerStat {
  /** Current sessions (`scur` of `show stat`). */
  readonly sessions: number;
  /** `UP`, `DOWN`, `DRAIN`, `MAINT`, `no check`, `UP 1/2`… */
  readonly status: string;
}

export type ServerAdminState = "ready" | "drain" | "maint";

/** Parses HAProxy's `# name1,name2…` / `# name1 name2…` tables into records. */
export function parseTable(text: string, separator: string | RegExp): Record<string, string>[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const headerIndex = lines.findIndex((line) => line.startsWith("# "));
  if (headerIndex < 0) return [];
  const names = (lines[headerIndex] ?? "").slice(2).split(separator);
  return lines.slice(headerIndex + 1).map((line) => {
    const values = line.split(separator);
    return Object.fromEntries(names.map((name, index) => [name, values[index] ?? ""]));
  });
}

/**
 * HAProxy's runtime API over its stats socket (`stats socket PATH level admin`):
 * one connection per command, as `socat` would do.
 */
export class HaproxyRuntime {
  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Sends one command and returns HAProxy's whole answer. */
  send(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.socketPath);
      let answer = "";
      const fail = (why: string) =>
        reject(new MargError("E_HAPROXY_RUNTIME", `HAProxy runtime API at ${this.socketPath}: ${why}`));
      socket.setTimeout(this.timeoutMs, () => {
        socket.destroy();
        fail(`no answer to "${command}" within ${this.timeoutMs} ms`);
      });
      socket.on("connect", () => socket.end(`${command}\n`));
      socket.on("data", (chunk: Buffer) => {
        answer += chunk.toString();
      });
      socket.on("error", (error) => fail(`${error.message} (is the socket path right and HAProxy running?)`));
      socket.on("close", () => resolve(answer));
    });
  }

  /** `set server BACKEND/SERVER state …`; HAProxy answers nothing on success. */
  async setState(backend: string, server: string, state: ServerAdminState): Promise<void> {
    const answer = (await this.send(`set server ${backend}/${server} state ${state}`)).trim();
    if (answer !== "")
      throw new MargError("E_HAPROXY_RUNTIME", `set ${backend}/${server} ${state}: ${answer}`);
  }

  /** The server's current sessions and status from `show stat`. */
  async stat(backend: string, server: string): Promise<ServerStat> {
    const rows = parseTable(await this.send("show stat"), ",");
    const row = rows.find((candidate) => candidate.pxname === backend && candidate.svname === server);
    if (row === undefined) throw unknownServer(backend, server);
    return { sessions: Number(row.scur ?? 0), status: row.status ?? "" };
  }

  /** The server's address and port from `show servers state`. */
  async address(backend: string, server: string): Promise<{ host: string; port: number }> {
    const rows = parseTable(await this.send(`show servers state ${backend}`), " ");
    const row = rows.find((candidate) => candidate.be_name === backend && candidate.srv_name === server);
    if (row === undefined) throw unknownServer(backend, server);
    return { host: row.srv_addr ?? "", port: Number(row.srv_port ?? 0) };
  }
}

function unknownServer(backend: string, server: string): MargError {
  return new MargError(
    "E_HAPROXY_RUNTIME",
    `HAProxy has no server ${backend}/${server}: check --backend and --servers against haproxy.cfg.`,
  );
}
