import { z } from "zod";
import { signUpExistingAccountMail, signUpLinkMail } from "../auth/account-mails.js";
import { EMAIL_MAX_LENGTH } from "../auth/email.js";
import type { JobDefinition, JobSpec } from "../queue/job-definition.js";
import { defineJob } from "../queue/job-definition.js";
import { QUEUE_NAMES } from "../queue/queue-names.js";
import { mailSendJob } from "./platform-mail-job.js";
import type { Platform } from "./types.js";

const signUpPayload = z.object({
  /** The address typed on the sign-up form (already checked against REGISTRATION_DOMAINS). */
  email: z.string().email().max(EMAIL_MAX_LENGTH),
  /** The app the visitor signed up on: its link points back there (`<appUrl>/join`). */
  appUrl: z.url({ protocol: /^https?$/ }).max(300),
});

/**
 * `account.signup`: what a sign-up form asks for, decided in the worker. The form
 * only dispatches this job, whatever the address, so its answer (wording and
 * time) cannot tell an address with an account from one without. The worker then
 * mails a link that creates the account to a new address, or a "you already have
 * an account" note to an existing one, and nothing to a disabled one.
 */
export const accountSignUpJob: JobSpec<z.input<typeof signUpPayload>, z.output<typeof signUpPayload>> = {
  name: "account.signup",
  schema: signUpPayload,
  queue: QUEUE_NAMES.mail,
  attempts: 5,
};

/** The handler of `account.signup`, bound to the worker's platform. */
export function createAccountSignUpJob(
  platform: Platform,
): JobDefinition<z.input<typeof signUpPayload>, z.output<typeof signUpPayload>> {
  return defineJob({
    ...accountSignUpJob,
    async handler({ email, appUrl }, ctx) {
      const existing = await platform.users.findByEmail(email);
      if (existing !== null) {
        if (existing.disabledAt === null)
          await platform.queue.dispatch(mailSendJob, signUpExistingAccountMail(existing.email, appUrl));
        ctx.log.info({ outcome: "existing-account" }, "sign-up for an address that has an account");
        return;
      }
      const { token, invitation } = await platform.invitations.issue({ email, purpose: "signup" });
      const link = `${appUrl}/join?token=${encodeURIComponent(token)}`;
      // The token leaves only inside the mail job's payload, never in a log line.
      await platform.queue.dispatch(mailSendJob, signUpLinkMail(invitation.email, link));
      ctx.log.info({ outcome: "link-mailed", invitationId: invitation.id }, "sign-up link mailed");
    },
  });
}
