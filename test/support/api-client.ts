import { request } from "node:http";
import type { FormBrowser } from "./form-browser.js";

export interface ApiResponse {
  readonly status: number;
  /** The parsed JSON body (undefined when empty). */
  readonly json: unknown;
}

/**
 * A JSON client riding on a FormBrowser's cookies, as a script using the API
 * would: session cookie, `X-CSRF-Token` from GET /api/v1/me on writes.
 */
export class ApiClient {
  #csrf: string | undefined;

  constructor(readonly browser: FormBrowser) {}

  get(path: string): Promise<ApiResponse> {
    return this.send("GET", path);
  }

  async write(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<ApiResponse> {
    this.#csrf ??= ((await this.get("/api/v1/me")).json as { csrfToken: string }).csrfToken;
    return this.send(method, path, body, { "x-csrf-token": this.#csrf });
  }

  send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const cookie = [...this.browser.jar].map(([name, value]) => `${name}=${value}`).join("; ");
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
            ...headers,
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, json: text === "" ? undefined : JSON.parse(text) }),
          );
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
}
