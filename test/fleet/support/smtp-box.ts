/**
 * A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps every
 * message it accepts: what the fleet's MAIL_MAILER=smtp workers send to. With
 * a spool folder it also writes each one there as JSON, so test files in other
 * processes than the server's (the shared fleet's globalSetup) read them.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { freePort } from "../../support/free-port.js";

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  /** The whole message body, quoted-printable decoded. */
  readonly text: string;
  /** The message as received (headers and body), for reading its MIME parts. */
  readonly raw: string;
}

export interface SmtpBox {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Resolves with the first mail (now or later) that `match` accepts. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function decode(raw: string): { subject: string; text: string } {
  const normal = raw.replace(/\r\n/g, "\n");
  const split = normal.indexOf("\n\n");
  const head = normal.slice(0, split).replace(/\n[ \t]+/g, " ");
  const body = normal.slice(split + 2);
  const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? "";
  const text = body
    .replace(/=\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return { subject, text: Buffer.from(text, "latin1").toString("utf8") };
}

async function waitForMail(
  read: () => readonly ReceivedMail[],
  match: (mail: ReceivedMail) => boolean,
  timeoutMs: number,
): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = read().find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The mails a box started with `spool` received, read from that folder (closing it closes nothing). */
export function readSmtpSpool(spool: string, port: number): SmtpBox {
  const read = () =>
    readdirSync(spool)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => JSON.parse(readFileSync(path.join(spool, name), "utf8")) as ReceivedMail);
  return {
    port,
    get received() {
      return read();
    },
    waitFor: (match, timeoutMs) => waitForMail(read, match, timeoutMs),
    close: async () => {},
  };
}

export async function startSmtpBox(options: { spool?: string } = {}): Promise<SmtpBox> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  const { spool } = options;
  if (spool !== undefined) mkdirSync(spool, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("latin1");
        const { subject, text } = decode(raw);
        const from = session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address;
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        const mail = { from, to, subject, text, raw };
        received.push(mail);
        if (spool !== undefined) {
          // Written whole, then renamed: a reader never sees half a mail.
          const file = path.join(spool, `${String(received.length).padStart(6, "0")}.json`);
          writeFileSync(`${file}.part`, JSON.stringify(mail));
          renameSync(`${file}.part`, file);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port,
    received,
    waitFor: (match, timeoutMs) => waitForMail(() => received, match, timeoutMs),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
