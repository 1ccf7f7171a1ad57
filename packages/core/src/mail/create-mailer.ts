import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { MargConfig } from "../config/config-types.js";
import type { Mailer, MailMessage, SentMail } from "./types.js";

type MailConfig = Pick<MargConfig, "mail" | "storage">;

const SAFE_ID = /^[A-Za-z0-9_.-]{1,100}$/;

function assertSafeId(id: string): void {
  if (!SAFE_ID.test(id))
    throw new Error(`mail id "${id.slice(0, 40)}" must be 1–100 letters, digits, _ . or -`);
}

function envelope(config: MailConfig, message: MailMessage) {
  return {
    from: { name: config.mail.from.name, address: config.mail.from.address },
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    messageId: `<${message.id}@${config.mail.from.address.split("@")[1] ?? "marg"}>`,
  };
}

/**
 * Phase 1's mailer: each mail becomes `storage/mail/<id>.eml`, which the dev front
 * door lists. The file name is the mail id, so a retried job finds it and does not
 * write a second copy.
 */
function createFileMailer(config: MailConfig): Mailer {
  const dir = path.join(config.storage.path, "mail");
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(message) {
      assertSafeId(message.id);
      const file = path.join(dir, `${message.id}.eml`);
      if (existsSync(file)) return { messageId: message.id, file, duplicate: true };
      await mkdir(dir, { recursive: true });
      const info = await transport.sendMail(envelope(config, message));
      const temp = `${file}.tmp`;
      await writeFile(temp, info.message as Buffer, { mode: 0o640 });
      await rename(temp, file);
      return { messageId: message.id, file, duplicate: false };
    },
  };
}

function createSmtpMailer(config: MailConfig): Mailer {
  const { mail } = config;
  const transport = nodemailer.createTransport({
    host: mail.host,
    port: mail.port,
    secure: mail.encryption === "tls",
    requireTLS: mail.encryption === "starttls",
    ...(mail.username === undefined
      ? {}
      : { auth: { user: mail.username, pass: mail.password?.reveal() ?? "" } }),
  });
  return {
    async send(message): Promise<SentMail> {
      assertSafeId(message.id);
      const info = await transport.sendMail(envelope(config, message));
      return { messageId: String(info.messageId), duplicate: false };
    },
  };
}

/** The mailer MAIL_MAILER names: `log` (files under storage/mail) or `smtp`. */
export function createMailer(config: MailConfig): Mailer {
  return config.mail.mailer === "smtp" ? createSmtpMailer(config) : createFileMailer(config);
}
