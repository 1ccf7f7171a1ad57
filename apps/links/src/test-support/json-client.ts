import { request } from "node:http";
import type { FormBrowser } from "../../../../test/support/form-browser.js";

export interface JsonResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: unknown;
}

/** The response body as the shape a test expects (it asserts on it anyway). */
export function bodyOf<T>(response: JsonResponse): T {
  return response.json as T;
}

/**
 * JSON API calls with a FormBrowser's cookies (the same session), as a script
 * or SPA would send them: `Accept: application/json`, the CSRF token in
 * `X-CSRF-Token` (fetched from /api/v1/me once) on unsafe methods.
 */
export class JsonClient {
  #csrf: string | undefined;

  constructor(private readonly browser: FormBrowser) {}

  async csrfToken(): Promise<string> {
    this.#csrf ??= bodyOf<{ csrfToken?: string }>(await this.send("GET", "/api/v1/me")).csrfToken ?? "";
    return this.#csrf ?? "";
  }

  get(path: string): Promise<JsonResponse> {
    return this.send("GET", path);
  }

  async post(path: string, body: unknown, options: { csrf?: boolean } = {}): Promise<JsonResponse> {
    return this.send("POST", path, body, options.csrf === false ? undefined : await this.csrfToken());
  }

  async patch(path: string, body: unknown): Promise<JsonResponse> {
    return this.send("PATCH", path, body, await this.csrfToken());
  }

  async delete(path: string): Promise<JsonResponse> {
    return this.send("DELETE", path, undefined, await this.csrfToken());
  }

  send(method: string, path: string, body?: unknown, csrf?: string): Promise<JsonResponse> {
    const cookie = [...this.browser.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: this.browser.site.port,
          path,
          method,
          headers: {
            host: this.browser.site.host,
            accept: "application/json",
            ...(cookie === "" ? {} : { cookie }),
            ...(payload === undefined
              ? {}
              : { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }),
            ...(csrf === undefined ? {} : { "x-csrf-token": csrf }),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => {
            let json: unknown;
            try {
              json = text === "" ? undefined : JSON.parse(text);
            } catch {
              json = text;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
}
