import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type StreamTransport from "nodemailer/lib/stream-transport/index.js";
import type { MargConfig } from "../config/config-types.js";
import { MargError } from "../errors/index.js";
import type { SentMailLog } from "./sent-mail-log.js";
import type { Mailer, MailMessage, SentMail } from "./types.js";

type MailConfig = Pick<MargConfig, "mail" | "storage">;

/**
 * nodemailer (~15 MB resident, ~40 ms to load) is loaded when the first mail is
 * sent, not when the platform is built: every web process has a mailer, and most
 * of them never send (mail goes out from the workers' jobs).
 */
function lazyTransport<Options>(
  create: (nodemailer: typeof import("nodemailer").default) => Transporter<Options>,
): () => Promise<Transporter<Options>> {
  let transport: Promise<Transporter<Options>> | undefined;
  return () => {
    transport ??= import("nodemailer").then((loaded) => create(loaded.default));
    return transport;
  };
}

const SAFE_ID = /^[A-Za-z0-9_.-]{1,100}$/;
/** A send key: `job-` + any job id (up to 128), within mail_sent's 191-character key. */
const SAFE_KEY = /^[A-Za-z0-9_.-]{1,180}$/;

function assertSafeId(id: string): void {
  if (!SAFE_ID.test(id))
    throw new Error(`mail id "${id.slice(0, 40)}" must be 1–100 letters, digits, _ . or -`);
}

/** `<key@domain>`: stable for one key, so a receiver sees any repeat as the same message. */
function messageIdFor(config: MailConfig, key: string): string {
  return `<${key}@${config.mail.from.address.split("@")[1] ?? "marg"}>`;
}

function envelope(config: MailConfig, message: MailMessage, key: string) {
  return {
    from: { name: config.mail.from.name, address: config.mail.from.address },
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    ...(message.attachments === undefined
      ? {}
      : {
          attachments: message.attachments.map((file) => ({
            filename: file.filename,
            contentType: file.contentType,
            // nodemailer reads a path itself, streaming it into the message.
            ...(file.path === undefined ? { content: file.content } : { path: file.path }),
          })),
        }),
    messageId: messageIdFor(config, key),
  };
}

/**
 * Phase 1's mailer: each mail becomes `storage/mail/<id>.eml`, which the dev front
 * door lists. The file name is the mail id, so a retried job finds it and does not
 * write a second copy.
 */
function createFileMailer(config: MailConfig): Mailer {
  const dir = path.join(config.storage.path, "mail");
  const transport = lazyTransport<StreamTransport.SentMessageInfo>((nodemailer) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
  );
  return {
    async send(message, options = {}) {
      assertSafeId(message.id);
      const file = path.join(dir, `${message.id}.eml`);
      if (existsSync(file)) return { messageId: message.id, file, duplicate: true };
      await mkdir(dir, { recursive: true });
      const info = await (await transport()).sendMail(envelope(config, message, options.key ?? message.id));
      const temp = `${file}.tmp`;
      await writeFile(temp, info.message as Buffer, { mode: 0o640 });
      await rename(temp, file);
      return { messageId: message.id, file, duplicate: false };
    },
  };
}

/** The SMTP failure without anything secret: nodemailer's message, with the password cut out if echoed. */
function smtpFailure(config: MailConfig, error: unknown): MargError {
  const password = config.mail.password?.reveal();
  let reason = error instanceof Error ? error.message : String(error);
  if (password !== undefined && password !== "") reason = reason.split(password).join("***");
  return new MargError(
    "E_MAIL_SMTP_FAILED",
    `The SMTP server ${config.mail.host}:${config.mail.port} did not take the mail: ${reason}. ` +
      "Check MAIL_HOST / MAIL_PORT and the server; the job is retried, then kept in failed jobs.",
    { status: 503 },
  );
}

function createSmtpMailer(config: MailConfig, sentLog: SentMailLog | undefined): Mailer {
  const { mail } = config;
  const transport = lazyTransport<SMTPTransport.SentMessageInfo>((nodemailer) =>
    nodemailer.createTransport({
      host: mail.host,
      port: mail.port,
      secure: mail.encryption === "tls",
      requireTLS: mail.encryption === "starttls",
      ...(mail.username === undefined
        ? {}
        : { auth: { user: mail.username, pass: mail.password?.reveal() ?? "" } }),
    }),
  );
  return {
    async send(message, options = {}): Promise<SentMail> {
      assertSafeId(message.id);
      const key = options.key ?? message.id;
      if (!SAFE_KEY.test(key))
        throw new Error(`send key "${key.slice(0, 40)}" must be 1–180 letters, digits, _ . or -`);
      const already = await sentLog?.find(key);
      if (already !== undefined && already !== null) return { messageId: already, duplicate: true };
      let messageId: string;
      try {
        const info = await (await transport()).sendMail(envelope(config, message, key));
        messageId = String(info.messageId);
      } catch (error) {
        throw smtpFailure(config, error);
      }
      // Recorded only once the server accepted it: a retry after this point sends nothing.
      await sentLog?.record(key, messageId);
      return { messageId, duplicate: false };
    },
  };
}

export interface CreateMailerOptions {
  /** Where the SMTP mailer records what it sent (the shared database), so a retried job never sends twice. */
  readonly sentLog?: SentMailLog;
}

/** The mailer MAIL_MAILER names: `log` (files under storage/mail) or `smtp`. */
export function createMailer(config: MailConfig, options: CreateMailerOptions = {}): Mailer {
  return config.mail.mailer === "smtp" ? createSmtpMailer(config, options.sentLog) : createFileMailer(config);
}
