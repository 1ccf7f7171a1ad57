/**
 * A file sent with a mail (a CSV export…): either `content` held in memory (keep
 * it small) or `path`, a file on disk that the mailer streams from while sending
 * (the caller keeps the file until `send` resolves).
 */
export type MailAttachment = {
  readonly filename: string;
  readonly contentType: string;
} & (
  | { readonly content: string; readonly path?: never }
  | { readonly path: string; readonly content?: never }
);

/** One outgoing mail. `id` makes sending idempotent: a retry with the same id is not sent twice. */
export interface MailMessage {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly MailAttachment[];
}

export interface SendOptions {
  /**
   * What makes this send happen once: a job passes its job id, stable across
   * retries. The SMTP mailer records it after the server accepted the mail and
   * skips any later send with the same key; it is also the Message-ID's left
   * part, so a receiver sees a duplicate as one message. Default: the mail's id.
   */
  readonly key?: string;
}

export interface SentMail {
  readonly messageId: string;
  /** For the log mailer: the .eml file written. */
  readonly file?: string;
  /** True when a mail with this key had already been sent, so nothing was sent again. */
  readonly duplicate: boolean;
}

/** Sends mail: to `.eml` files under storage/mail (phase 1) or over SMTP. */
export interface Mailer {
  send(message: MailMessage, options?: SendOptions): Promise<SentMail>;
}
