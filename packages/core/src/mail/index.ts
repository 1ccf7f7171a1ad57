export { type CreateMailerOptions, createMailer } from "./create-mailer.js";
export { mailMigrations } from "./mail-migrations.js";
export { DatabaseSentMailLog, type MailSentTables, type SentMailLog } from "./sent-mail-log.js";
export type { MailAttachment, Mailer, MailMessage, SendOptions, SentMail } from "./types.js";
