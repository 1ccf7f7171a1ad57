import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One mail the log mailer wrote as an .eml file. */
export interface LoggedMail {
  readonly file: string;
  readonly to: string;
  readonly subject: string;
  /** The body, quoted-printable decoded. */
  readonly text: string;
  /** The whole message as written (headers, every MIME part), newlines as \n. */
  readonly raw: string;
}

/** Every .eml under `dir` (MAIL_MAILER=log writes them to STORAGE_PATH/mail), oldest name first. */
export function readMailBox(dir: string): LoggedMail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name) => parseEml(path.join(dir, name)));
}

function parseEml(file: string): LoggedMail {
  const raw = readFileSync(file, "utf8").replace(/\r\n/g, "\n");
  const split = raw.indexOf("\n\n");
  const head = raw.slice(0, split);
  const body = raw.slice(split + 2);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1] ?? "";
  const quoted = /quoted-printable/i.test(header("Content-Transfer-Encoding"));
  return { file, to: header("To"), subject: header("Subject"), text: quoted ? decodeQp(body) : body, raw };
}

function decodeQp(text: string): string {
  const bytes = text
    .replace(/=\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** The first http(s) link in a mail's text. */
export function firstLinkIn(text: string): URL | undefined {
  const match = /https?:\/\/\S+/.exec(text);
  return match === null ? undefined : new URL(match[0]);
}
