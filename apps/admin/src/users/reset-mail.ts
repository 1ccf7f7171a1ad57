import { randomUUID } from "node:crypto";
import type { MargConfig } from "@marg/core/config";
import type { MailMessage } from "@marg/core/mail";
import { siblingAppUrl } from "@marg/core/web";

/**
 * Where a reset link points: the flow app when the installation has it (that is
 * where people work), else admin itself — every app serves the account pages.
 */
export function resetLinkBase(config: MargConfig): string {
  return config.app.apps.includes("flow") ? siblingAppUrl(config, "flow") : config.app.url;
}

/** The mail with a password-reset link an administrator asked for (or a new account's first link). */
export function resetLinkMail(message: {
  to: string;
  name: string;
  link: string;
  welcome: boolean;
}): MailMessage {
  const opening = message.welcome
    ? "An administrator created a MARG account for you.\n\nChoose your password here"
    : "An administrator asked MARG to send you a link to choose a new password.\n\nChoose it here";
  return {
    id: `admin-reset-${randomUUID()}`,
    to: message.to,
    subject: message.welcome ? "Your MARG account" : "Reset your MARG password",
    text: `Hello ${message.name},\n\n${opening} (the link works once, for 60 minutes):\n${message.link}\n\nIf you did not expect this mail, ignore it.\n`,
  };
}
