import type { Kysely } from "kysely";

/** Row of `mail_sent`: one per mail the SMTP server accepted, by its send key (the job id). */
export interface MailSentTable {
  send_key: string;
  message_id: string;
  /** Epoch ms. */
  sent_at: number;
}

export interface MailSentTables {
  mail_sent: MailSentTable;
}

/** What the SMTP mailer asks before sending and tells after: "was this key sent already?" */
export interface SentMailLog {
  /** The Message-ID the key was sent with, or null when it never was. */
  find(key: string): Promise<string | null>;
  record(key: string, messageId: string): Promise<void>;
  /** Forgets records older than `ms` (the sweep); a job is never retried that late. */
  prune(olderThanMs: number): Promise<number>;
}

/**
 * The sent-mail record in the shared database, so every worker of the
 * installation sees what any of them sent: a retried job (another try, another
 * worker, `marg queue:retry`) finds its key and does not send again.
 */
export class DatabaseSentMailLog implements SentMailLog {
  readonly #db: Kysely<MailSentTables>;
  readonly #now: () => number;

  constructor(db: Kysely<MailSentTables>, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  async find(key: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom("mail_sent")
      .select("message_id")
      .where("send_key", "=", key)
      .executeTakeFirst();
    return row?.message_id ?? null;
  }

  async record(key: string, messageId: string): Promise<void> {
    try {
      await this.#db
        .insertInto("mail_sent")
        .values({ send_key: key, message_id: messageId, sent_at: this.#now() })
        .execute();
    } catch (error) {
      // Two workers that both held the job (a stall) both sent; the first record stands.
      if ((await this.find(key)) === null) throw error;
    }
  }

  async prune(olderThanMs: number): Promise<number> {
    const result = await this.#db
      .deleteFrom("mail_sent")
      .where("sent_at", "<", this.#now() - olderThanMs)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
