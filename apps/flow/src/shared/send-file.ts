import { createReadStream } from "node:fs";
import type { FastifyReply } from "fastify";

/** `filename*` (RFC 6266/5987) for any name, plus an ASCII fallback for old clients. */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a stored file. Downloads are sandboxed (no scripts, no plugins, even
 * if a browser guessed HTML) and never cached by shared caches: they are only
 * for users who may see the task.
 */
export function sendStoredFile(
  reply: FastifyReply,
  file: {
    absolutePath: string;
    contentType: string;
    name: string;
    disposition: "attachment" | "inline";
    size?: number;
  },
): FastifyReply {
  const type = file.contentType.startsWith("text/") ? `${file.contentType}; charset=utf-8` : file.contentType;
  reply
    .type(type)
    .header("content-disposition", contentDisposition(file.disposition, file.name))
    .header(
      "content-security-policy",
      "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    )
    .header("cache-control", "private, max-age=300");
  if (file.size !== undefined) reply.header("content-length", String(file.size));
  return reply.send(createReadStream(file.absolutePath));
}
