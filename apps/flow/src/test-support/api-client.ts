/**
 * JSON and multipart requests with a client's cookies (the signed-in session),
 * for API and upload tests: through Fastify's `inject` for a TestClient, over a
 * real socket for a FormBrowser (tests about the socket, such as the rate
 * limits by client address). Bodies and answers are bytes, so uploads and
 * downloads arrive as sent. Never follows redirects.
 */
import { request } from "node:http";
import { TestClient } from "@marg/core/testing";
import type { FormBrowser, PageResponse } from "../../../../test/support/form-browser.js";

/** A signed-in (or signed-out) client of the app under test. */
export type ApiClient = TestClient | FormBrowser;

type RawResponse = PageResponse & { bytes: Buffer };

function send(
  client: ApiClient,
  method: string,
  path: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
): Promise<RawResponse> {
  return client instanceof TestClient
    ? inject(client, method, path, body, headers)
    : overSocket(client, method, path, body, headers);
}

/**
 * The request through the app's `inject`. The session cookie was set at sign-in
 * and these calls never replace it, so the answer's cookies are not kept.
 */
async function inject(
  client: TestClient,
  method: string,
  path: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const cookie = [...client.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const response = await client.target.server.inject({
    method: method as "GET",
    url: path,
    headers: { host: client.target.host, ...(cookie === "" ? {} : { cookie }), ...headers },
    ...(body === undefined ? {} : { payload: body }),
  });
  const location = response.headers.location;
  return {
    status: response.statusCode,
    headers: response.headers as Record<string, string | string[] | undefined>,
    body: response.body,
    bytes: response.rawPayload,
    location: typeof location === "string" ? location : undefined,
  };
}

function overSocket(
  browser: FormBrowser,
  method: string,
  path: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const cookie = [...browser.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: browser.site.port,
        path,
        method,
        headers: {
          host: browser.site.host,
          ...(cookie === "" ? {} : { cookie }),
          ...(body === undefined ? {} : { "content-length": String(body.length) }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes.toString("utf8"),
            bytes,
            location: res.headers.location,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The session's CSRF token, as API clients get it: from GET /api/v1/me. */
export async function csrfTokenOf(browser: ApiClient): Promise<string> {
  const response = await send(browser, "GET", "/api/v1/me", undefined, { accept: "application/json" });
  const token = (JSON.parse(response.body) as { csrfToken?: string }).csrfToken;
  if (token === undefined) throw new Error(`no CSRF token from /api/v1/me (status ${response.status})`);
  return token;
}

export interface JsonResponse extends PageResponse {
  readonly json: unknown;
}

/** A JSON API call; writes carry the CSRF header unless `csrf: false`. */
export async function api(
  browser: ApiClient,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: { json?: unknown; csrf?: boolean } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET" && options.csrf !== false) headers["x-csrf-token"] = await csrfTokenOf(browser);
  let body: Buffer | undefined;
  if (options.json !== undefined) {
    body = Buffer.from(JSON.stringify(options.json));
    headers["content-type"] = "application/json";
  }
  const response = await send(browser, method, path, body, headers);
  let json: unknown;
  try {
    json = response.body === "" ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { ...response, json };
}

/**
 * Posts one file as a browser's upload form does (multipart/form-data): the form's
 * other fields first (as the form orders them: `_csrf` before the file input), then the file.
 */
export function uploadFile(
  browser: ApiClient,
  path: string,
  file: { filename: string; contentType: string; content: Buffer; field?: string },
  fields: Readonly<Record<string, string>> = {},
): Promise<PageResponse> {
  const boundary = `----margtest${Math.random().toString(16).slice(2)}`;
  const fieldParts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = Buffer.from(
    `${fieldParts.join("")}--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? "file"}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return send(browser, "POST", path, Buffer.concat([head, file.content, tail]), {
    accept: "text/html",
    "content-type": `multipart/form-data; boundary=${boundary}`,
  });
}

/** Fetches raw bytes (downloads, previews) with the browser's cookies. */
export function fetchWith(browser: ApiClient, path: string): Promise<PageResponse & { bytes: Buffer }> {
  return send(browser, "GET", path, undefined, { accept: "*/*" });
}
