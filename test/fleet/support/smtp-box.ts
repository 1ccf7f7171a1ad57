/**
 * A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps every
 * message it accepts: what the fleet's MAIL_MAILER=smtp workers send to.
 */
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

export async function startSmtpBox(): Promise<SmtpBox> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
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
        received.push({ from, to, subject, text, raw });
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
    async waitFor(match, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
