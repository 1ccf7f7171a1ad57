import type { FastifyRequest } from "fastify";
import { MargError } from "../errors/marg-error.js";

/**
 * The route option of an upload route whose browser form sends the CSRF token as
 * a multipart field (`_csrf`, placed before the file input), not in the URL: a
 * token in a URL ends up in access logs, proxy logs and browser history.
 *
 * @example
 * app.post("/profile/avatar", { config: MULTIPART_CSRF_ROUTE }, handler);
 */
export const MULTIPART_CSRF_ROUTE = Object.freeze({ csrf: "multipart-field" as const });

/** The part of @fastify/multipart's `request.file()` result this guard reads. */
interface FilePart {
  readonly file: { resume(): unknown };
  readonly fields: Record<string, unknown>;
}

type FileReader = (this: FastifyRequest, ...args: unknown[]) => Promise<FilePart | undefined>;

function fieldValue(part: unknown): string | undefined {
  const first = Array.isArray(part) ? part[0] : part;
  if (typeof first !== "object" || first === null) return undefined;
  const { type, value } = first as { type?: unknown; value?: unknown };
  return type === "field" && typeof value === "string" ? value : undefined;
}

function unreadableError(): MargError {
  return new MargError(
    "E_SESSION_CSRF_INVALID",
    "This upload form must send its _csrf field before the file (or an X-CSRF-Token header). Reload the page and upload again.",
    { status: 403 },
  );
}

/** An async iterator whose first step rejects: what `for await` over the parts meets. */
function refusedIterator(): AsyncIterableIterator<never> {
  const iterator: AsyncIterableIterator<never> = {
    next: () => Promise.reject(unreadableError()),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * Makes the request's multipart reader check the CSRF token before any file reaches
 * the handler: `request.file()` resolves only once the `_csrf` field that precedes
 * the file matches the session's token (else it drains the file and rejects with
 * 403 `E_SESSION_CSRF_INVALID`). The readers that would hand over parts unchecked
 * (`parts`, `files`, `saveRequestFiles`) reject outright, so a handler cannot skip
 * the check by reading the body another way.
 */
export function checkCsrfInMultipartField(request: FastifyRequest): void {
  const target = request as unknown as Record<string, unknown>;
  const original = target.file as FileReader | undefined;
  // parts() and files() are async iterators; saveRequestFiles() is a promise.
  for (const name of ["parts", "files"]) {
    if (typeof target[name] === "function") target[name] = () => refusedIterator();
  }
  if (typeof target.saveRequestFiles === "function")
    target.saveRequestFiles = () => Promise.reject(unreadableError());
  if (typeof original !== "function") return;
  target.file = async function checkedFile(this: FastifyRequest, ...args: unknown[]) {
    const part = await original.apply(request, args);
    const token = fieldValue(part?.fields._csrf);
    try {
      await request.session.assertCsrfToken(token);
    } catch (error) {
      part?.file.resume(); // an unread file keeps the parser waiting and the request open
      throw error;
    }
    return part;
  };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** `false`: the route checks no CSRF token; `"multipart-field"`: see MULTIPART_CSRF_ROUTE. */
    csrf?: boolean | "multipart-field";
  }
}
