import { randomBytes } from "node:crypto";
import { MargError } from "@marg/core/errors";

// How `marg user:create` gets the new account's password: typed (hidden, twice) on a
// terminal, read from stdin with --password-stdin, or generated and printed once.

/** A generated password: 24 base64url characters (144 bits), well past the policy's minimum. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

/** Everything on stdin up to EOF, without the trailing newline `echo` adds. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Reads one line from the terminal without echoing it (raw mode; Ctrl-C aborts). */
function readHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = "";
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: string) => {
      for (const char of data) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done();
        if (char === "\u0003")
          return done(new MargError("E_CLI_USAGE", "Cancelled; no account was created."));
        if (char === "\u007f" || char === "\b") typed = [...typed].slice(0, -1).join("");
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** Asks twice on the terminal; the two must match. */
export async function promptPassword(): Promise<string> {
  const first = await readHidden("Password: ");
  const second = await readHidden("Password (again): ");
  if (first !== second)
    throw new MargError("E_CLI_USAGE", "The two passwords differ; no account was created.");
  return first;
}

/** Where the password comes from, given the flag and whether stdin is a terminal. */
export type PasswordSource = "stdin" | "prompt" | "generated";

export function passwordSource(options: { passwordStdin?: boolean }, stdinIsTty: boolean): PasswordSource {
  if (options.passwordStdin === true) return "stdin";
  return stdinIsTty ? "prompt" : "generated";
}
