/**
 * What may be uploaded. Types are decided from the file's first bytes, never
 * from the name or the browser's Content-Type, which a client chooses freely;
 * downloads are then served with the type found here.
 */

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

export const ATTACHMENT_LIMIT_TEXT =
  "Images (PNG, JPEG, GIF, WebP), PDF or plain text (.txt, .md, .csv), up to 10 MB.";
export const AVATAR_LIMIT_TEXT = "A PNG, JPEG, GIF or WebP image, up to 5 MB. It is cropped to a square.";

export const ACCEPT_ATTRIBUTE =
  "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/markdown,text/csv,.txt,.md,.csv";
export const IMAGE_ACCEPT_ATTRIBUTE = "image/png,image/jpeg,image/gif,image/webp";

const IMAGE_SIGNATURES: readonly { type: string; test: (head: Buffer) => boolean }[] = [
  {
    type: "image/png",
    test: (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: "image/jpeg", test: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
  { type: "image/gif", test: (h) => ["GIF87a", "GIF89a"].includes(h.subarray(0, 6).toString("latin1")) },
  {
    type: "image/webp",
    test: (h) =>
      h.subarray(0, 4).toString("latin1") === "RIFF" && h.subarray(8, 12).toString("latin1") === "WEBP",
  },
];

const TEXT_TYPES: Readonly<Record<string, string>> = {
  txt: "text/plain",
  log: "text/plain",
  md: "text/markdown",
  markdown: "text/markdown",
  csv: "text/csv",
};

/** The image type of these bytes, or null. */
export function sniffImageType(head: Buffer): string | null {
  return IMAGE_SIGNATURES.find((signature) => signature.test(head))?.type ?? null;
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    // `stream: true` lets the sample end in the middle of a multi-byte character.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The type an attachment is stored and served as, or null when it is not
 * allowed. `head` is the first few kilobytes of the file.
 */
export function sniffAttachmentType(head: Buffer, filename: string): string | null {
  const image = sniffImageType(head);
  if (image !== null) return image;
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? "";
  const textType = TEXT_TYPES[extension];
  return textType !== undefined && looksLikeText(head) ? textType : null;
}

/** Images get a preview from the image.document job; PDF and text are listed without one. */
export function hasPreview(contentType: string): boolean {
  return contentType.startsWith("image/");
}

/**
 * A name safe to show and to put in Content-Disposition: no path, no control
 * characters, at most 200 characters; "file" when nothing is left.
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return cleaned.slice(0, 200) || "file";
}
