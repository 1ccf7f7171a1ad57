import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { describe, expect, it } from "vitest";
import { attachmentsOf, csvDataRows, plainTextOf } from "./mail-parts.js";

/** A message built by nodemailer, the library MARG's SMTP mailer sends with. */
async function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<string> {
  const message = await new MailComposer(options).compile().build();
  return message.toString("latin1");
}

describe("reading a mail's MIME parts", () => {
  it("finds a CSV attachment and decodes it, quoted cells with commas and line breaks included", async () => {
    const csv = 'day,referrer_host,clicks\r\n2026-12-01,"news, example",12\r\n2026-12-02,"two\nlines",3\r\n';
    const raw = await compose({
      from: "noreply@marg.test",
      to: "linus@marg.localhost",
      subject: "Your export",
      text: "Hello Linus — the CSV you asked for is attached (2 rows).",
      attachments: [
        { filename: "links-launch-clicks-2026-12-02.csv", content: csv, contentType: "text/csv" },
      ],
    });
    const [attachment, ...others] = attachmentsOf(raw);
    expect(others).toEqual([]);
    expect(attachment?.filename).toBe("links-launch-clicks-2026-12-02.csv");
    expect(attachment?.text).toBe(csv);
    expect(csvDataRows(attachment?.text ?? "")).toEqual([
      ["2026-12-01", "news, example", "12"],
      ["2026-12-02", "two\nlines", "3"],
    ]);
    expect(plainTextOf(raw)).toBe("Hello Linus — the CSV you asked for is attached (2 rows).");
  });

  it("reads a single-part message's text with its long link intact", async () => {
    const link = `http://flow.marg.test/reset-password?token=${"a1B2".repeat(30)}`;
    const raw = await compose({
      from: "noreply@marg.test",
      to: "grace@marg.localhost",
      subject: "Reset",
      text: `Open ${link}\n`,
    });
    expect(attachmentsOf(raw)).toEqual([]);
    expect(plainTextOf(raw)).toContain(link);
  });
});
