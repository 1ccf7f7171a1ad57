export { createMailer } from "./create-mailer.js";
export type { Mailer, MailMessage, SentMail } from "./types.js";
