import { z } from "zod";
import type { JobSpec } from "../queue/job-definition.js";
import { QUEUE_NAMES } from "../queue/queue-names.js";

const mailPayload = z.object({
  /** The mail's name (the log mailer's file name); retries are de-duplicated by the job id. */
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/),
  to: z.string().email().max(320),
  subject: z.string().min(1).max(300),
  text: z.string().min(1).max(100_000),
  html: z.string().max(500_000).optional(),
});

/** `mail.send`: one mail through MAIL_MAILER. Dispatch with `platform.queue.dispatch(mailSendJob, {...})`. */
export const mailSendJob: JobSpec<z.input<typeof mailPayload>, z.output<typeof mailPayload>> = {
  name: "mail.send",
  schema: mailPayload,
  queue: QUEUE_NAMES.mail,
  attempts: 5,
};
