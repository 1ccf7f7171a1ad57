/**
 * Queued jobs whose every run leaves a trace: `mail.send` with the log mailer writes
 * `<storage>/mail/<id>.eml`, so a job is handled if its file exists, whichever worker
 * process ran it. Dispatched from the test's own platform (same installation, same
 * Redis through Sentinel), as an app would.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "@marg/core/config";
import { createPlatform, mailSendJob, type Platform } from "@marg/core/platform";

export interface MailJobs {
  /** Dispatches `count` jobs named `<label>-<n>`; returns the ids Redis acknowledged (a failed dispatch is left out). */
  dispatch(label: string, count: number): Promise<{ acknowledged: string[]; refused: number }>;
  /** Ids of `ids` whose mail was written. */
  handled(ids: readonly string[]): string[];
  /** Every .eml file in the mail folder. */
  files(): string[];
  close(): Promise<void>;
}

export async function openMailJobs(root: string): Promise<MailJobs> {
  const config = loadConfig({ app: "flow", root, env: { MARG_ROOT: root, LOG_LEVEL: "silent" } });
  const platform: Platform = await createPlatform(config);
  const dir = path.join(config.storage.path, "mail");
  return {
    async dispatch(label, count) {
      const acknowledged: string[] = [];
      let refused = 0;
      await Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const id = `${label}-${index}`;
          try {
            await platform.queue.dispatch(mailSendJob, {
              id,
              to: "ops@marg.test",
              subject: `job ${id}`,
              text: "Sent by the HA suite.",
            });
            acknowledged.push(id);
          } catch {
            refused += 1;
          }
        }),
      );
      return { acknowledged, refused };
    },
    handled: (ids) => ids.filter((id) => existsSync(path.join(dir, `${id}.eml`))),
    files: () => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".eml")) : []),
    close: () => platform.close(),
  };
}
