import { SMTPServer } from "smtp-server";

/** One message the sink received over SMTP. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The message as sent (headers and MIME parts), newlines as \n. */
  readonly raw: string;
  header(name: string): string;
}

/** A real SMTP server on loopback that keeps what it receives; stop and start it to fake an outage. */
export interface SmtpSink {
  readonly port: number;
  readonly received: readonly ReceivedMail[];
  /** Stops listening (clients get ECONNREFUSED). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/**
 * smtp-server with no TLS, accepting any recipient; with `auth`, only that user
 * and password (sent in plain over loopback, as MAIL_ENCRYPTION=none does).
 */
export async function startSmtpSink(options: { port: number; auth?: { user: string; pass: string } }) {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const next = new SMTPServer({
        secure: false,
        disabledCommands: options.auth === undefined ? ["STARTTLS", "AUTH"] : ["STARTTLS"],
        authOptional: options.auth === undefined,
        allowInsecureAuth: true,
        logger: false,
        onAuth(auth, _session, callback) {
          if (auth.username === options.auth?.user && auth.password === options.auth?.pass)
            callback(null, { user: auth.username });
          else callback(new Error("Invalid username or password"));
        },
        onData(stream, session, callback) {
          let raw = "";
          stream.on("data", (chunk: Buffer) => {
            raw += chunk.toString("utf8");
          });
          stream.on("end", () => {
            const text = raw.replace(/\r\n/g, "\n");
            const head = text.slice(0, text.indexOf("\n\n"));
            received.push({
              from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw: text,
              header: (name) => new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1] ?? "",
            });
            callback();
          });
        },
      });
      next.once("error", reject);
      next.listen(options.port, "127.0.0.1", () => {
        server = next;
        resolve();
      });
    });
  await open();
  const sink: SmtpSink = {
    port: options.port,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        const closing = server;
        server = undefined;
        if (closing === undefined) resolve();
        else closing.close(() => resolve());
      }),
    start: open,
  };
  return sink;
}

/** The first attachment of a raw mail (base64, as nodemailer encodes a CSV), decoded. */
export function attachmentOf(raw: string): { filename: string; text: string } | undefined {
  const match =
    /Content-Disposition: attachment;\s*filename=("?)([^"\n]+)\1\n(?:[^\n]+\n)*\n([A-Za-z0-9+/=\n]+)/i.exec(
      raw,
    );
  if (match === null) return undefined;
  return {
    filename: match[2] ?? "",
    text: Buffer.from((match[3] ?? "").replace(/\n/g, ""), "base64").toString("utf8"),
  };
}
