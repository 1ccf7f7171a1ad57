import type { Mailer } from "@marg/core/mail";

/** Where a failed backup is reported: always the log, plus a metric and a mail when given. */
export interface BackupAlerts {
  readonly logger: {
    info(data: Record<string, unknown>, message: string): void;
    error(data: Record<string, unknown>, message: string): void;
  };
  /** e.g. a prom-client Counter `marg_backup_failures_total{kind}`. */
  readonly failures?: { inc(labels: { kind: string }): void };
  /** Mailed on failure when set (MAIL_* configured and an operator address known). */
  readonly mail?: { readonly mailer: Mailer; readonly to: string };
}

/**
 * Runs one backup; on failure logs at error level, counts the failure, mails
 * the operator, then rethrows so the caller (cron's exit code, the queue's
 * retry) sees it too. A mail that cannot be sent is logged, never hides the failure.
 */
export async function runBackupWithAlerts<T>(
  kind: string,
  alerts: BackupAlerts,
  run: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  try {
    const result = await run();
    alerts.logger.info({ kind, ms: Date.now() - started }, `${kind} backup finished`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    alerts.logger.error({ kind, err: message }, `${kind} backup FAILED`);
    alerts.failures?.inc({ kind });
    if (alerts.mail !== undefined) {
      try {
        await alerts.mail.mailer.send({
          id: `backup-failed-${kind}-${started}`,
          to: alerts.mail.to,
          subject: `[MARG] ${kind} backup failed`,
          text: `The ${kind} backup started at ${new Date(started).toISOString()} failed:\n\n${message}\n\nRun it by hand with: marg backup:${kind}\n`,
        });
      } catch (mailError) {
        alerts.logger.error(
          { kind, err: mailError instanceof Error ? mailError.message : String(mailError) },
          "backup failure mail could not be sent",
        );
      }
    }
    throw error;
  }
}
