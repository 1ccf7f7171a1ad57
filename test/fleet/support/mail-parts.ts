/**
 * Reads a raw RFC 5322 message as a mail client shows it: its leaf MIME parts,
 * each with its decoded text and, for an attachment, its file name. Enough for
 * what the fleet's SMTP mailer sends (text, html, attachments, nested multipart).
 */

export interface MailPart {
  readonly contentType: string;
  /** The file name of an attachment (Content-Disposition or Content-Type name). */
  readonly filename: string | undefined;
  /** The body, transfer-decoded, as UTF-8. */
  readonly text: string;
}

function splitHead(entity: string): { head: Map<string, string>; body: string } {
  const normal = entity.replace(/\r\n/g, "\n");
  const split = normal.indexOf("\n\n");
  const headText = split < 0 ? normal : normal.slice(0, split);
  const body = split < 0 ? "" : normal.slice(split + 2);
  const head = new Map<string, string>();
  for (const line of headText.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) head.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { head, body };
}

function parameter(header: string, name: string): string | undefined {
  const extended = new RegExp(`;\\s*${name}\\*=(?:utf-8|us-ascii)?'[^']*'([^;]+)`, "i").exec(header);
  if (extended?.[1] !== undefined) return decodeURIComponent(extended[1].trim());
  const plain = new RegExp(`;\\s*${name}=("([^"]*)"|[^;\\s]+)`, "i").exec(header);
  return plain === null ? undefined : (plain[2] ?? plain[1]);
}

function transferDecode(body: string, encoding: string): string {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = body
      .replace(/=\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return Buffer.from(body, "latin1").toString("utf8");
}

/** Every leaf part of the message, in order (a single-part message is one part). */
export function mailParts(raw: string): MailPart[] {
  const { head, body } = splitHead(raw);
  const contentType = head.get("content-type") ?? "text/plain";
  const boundary = parameter(contentType, "boundary");
  if (/^multipart\//i.test(contentType) && boundary !== undefined) {
    const sections = body.split(`--${boundary}`).slice(1);
    return (
      sections
        .filter((section) => !section.startsWith("--"))
        // The line break before a delimiter belongs to the delimiter, not to the part.
        .flatMap((section) => mailParts(section.replace(/^\n/, "").replace(/\n$/, "")))
    );
  }
  const disposition = head.get("content-disposition") ?? "";
  return [
    {
      contentType: contentType.split(";")[0]?.trim().toLowerCase() ?? "",
      filename: parameter(disposition, "filename") ?? parameter(contentType, "name"),
      text: transferDecode(body, (head.get("content-transfer-encoding") ?? "7bit").toLowerCase()),
    },
  ];
}

/** The attachments of a message (parts with a file name). */
export function attachmentsOf(raw: string): MailPart[] {
  return mailParts(raw).filter((part) => part.filename !== undefined);
}

/** The readable text of a message: its text/plain parts that are not attachments. */
export function plainTextOf(raw: string): string {
  return mailParts(raw)
    .filter((part) => part.filename === undefined && part.contentType === "text/plain")
    .map((part) => part.text)
    .join("\n");
}

/** The CSV's records (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
export function csvRecords(csv: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < csv.length; i += 1) {
    const char = csv[i];
    if (quoted) {
      if (char === '"' && csv[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && csv[i + 1] === "\n") i += 1;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || record.length > 0) records.push([...record, cell]);
  return records;
}

/** The CSV's data rows (the header left out). */
export function csvDataRows(csv: string): string[][] {
  return csvRecords(csv).slice(1);
}
