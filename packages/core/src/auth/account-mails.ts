import { randomBytes } from "node:crypto";
import type { MailMessage } from "../mail/types.js";

/**
 * The mails of self-service sign-up and invitations. Each gets a fresh id (the
 * mailer's idempotency key); links carry their token, so these messages go only
 * to the mailer (via `mail.send`), never to a log line.
 */

/** Time first, so a log mailer's files list in the order they were sent. */
const mailId = (kind: string) => `${kind}-${Date.now()}-${randomBytes(6).toString("hex")}`;

/** To a new address: the link that creates the account. */
export function signUpLinkMail(to: string, link: string): MailMessage {
  return {
    id: mailId("signup"),
    to,
    subject: "Finish creating your MARG account",
    text: `Someone, hopefully you, asked to create a MARG account for this address.\n\nChoose your name and password here (the link works once, for 24 hours):\n${link}\n\nIf it was not you, ignore this mail: no account is created.\n`,
  };
}

/** To an address that already has an account: the same sign-up form, told apart only in the inbox. */
export function signUpExistingAccountMail(to: string, appUrl: string): MailMessage {
  return {
    id: mailId("signup-note"),
    to,
    subject: "Finish creating your MARG account",
    text: `Someone, hopefully you, asked to create a MARG account for this address, but it already has one.\n\nSign in here: ${appUrl}/login\nForgot the password? Choose a new one here: ${appUrl}/forgot-password\n\nIf it was not you, ignore this mail: nothing has changed.\n`,
  };
}

/** To an invitee: the link that creates their account with the roles chosen by the administrator. */
export function invitationMail(to: string, link: string, inviter: string): MailMessage {
  return {
    id: mailId("invite"),
    to,
    subject: "You are invited to MARG",
    text: `${inviter} invited you to MARG.\n\nChoose your name and password here (the link works once, for 7 days):\n${link}\n\nIf you did not expect this mail, ignore it: no account is created.\n`,
  };
}
