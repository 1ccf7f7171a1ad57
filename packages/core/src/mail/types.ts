/** One outgoing mail. `id` makes sending idempotent: a retry with the same id is not sent twice. */
export interface MailMessage {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface SentMail {
  readonly messageId: string;
  /** For the log mailer: the .eml file written. */
  readonly file?: string;
  /** True when a mail with this id had already been sent, so nothing was sent again. */
  readonly duplicate: boolean;
}

/** Sends mail: to `.eml` files under storage/mail (phase 1) or over SMTP. */
export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
}
