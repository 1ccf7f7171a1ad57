import { request } from "node:http";
import { csrfTokenIn, keepSetCookies } from "@marg/core/testing";

/** The CSRF token of a page's form; one definition with core's inject-based TestClient. */
export { csrfTokenIn };

/** Where one app answers: its host name (sent as Host) and the loopback port it listens on. */
export interface Site {
  readonly host: string;
  readonly port: number;
  /** The loopback source address to connect from (127.0.0.2, 127.0.0.3…): a distinct client IP. */
  readonly localAddress?: string;
  /** The address to connect to (default 127.0.0.1), e.g. a load balancer on 127.0.5.1. */
  readonly address?: string;
}

export interface PageResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The Location header of a redirect, if any. */
  readonly location: string | undefined;
}

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A minimal browser for route tests: plain HTTP over a real socket to 127.0.0.1,
 * the app chosen by the Host header (as nginx or the dev front door would pass it),
 * one cookie jar shared by every app of the domain (the session cookie lives on
 * `.marg.test`), HTML forms posted url-encoded. Never follows redirects, so tests
 * see each 303 and where it points.
 */
export class FormBrowser {
  constructor(
    readonly site: Site,
    /** Cookie name → value; shared with every browser made by `at()`. */
    readonly jar = new Map<string, string>(),
  ) {}

  /** The same browser (same cookies) on another app. */
  at(site: Site): FormBrowser {
    return new FormBrowser(site, this.jar);
  }

  /** A second browser with a copy of this one's cookies (a stolen or replayed cookie). */
  clone(site: Site = this.site): FormBrowser {
    return new FormBrowser(site, new Map(this.jar));
  }

  get(path: string, options: RequestOptions = {}): Promise<PageResponse> {
    return this.send("GET", path, undefined, options.headers);
  }

  /** Posts an HTML form (application/x-www-form-urlencoded). */
  post(path: string, fields: Readonly<Record<string, string>>, options: RequestOptions = {}) {
    const body = new URLSearchParams(fields).toString();
    return this.send("POST", path, body, {
      "content-type": "application/x-www-form-urlencoded",
      ...options.headers,
    });
  }

  /**
   * Opens `page` (following one same-site 303) and submits its form (the one posting
   * to `action`) with its own CSRF token plus `fields`.
   */
  async submit(page: string, action: string, fields: Readonly<Record<string, string>>) {
    let form = await this.get(page);
    // A page that moves on to another path of the same site (a reset link to its bare form) is followed once.
    if (form.status === 303 && form.location?.startsWith("/")) form = await this.get(form.location);
    const csrf = csrfTokenIn(form.body, action);
    if (csrf === undefined)
      throw new Error(`no form posting to ${action} on ${page} (status ${form.status})`);
    return this.post(action, { _csrf: csrf, ...fields });
  }

  /** Sends `body` as JSON (as written: it may be junk) and asks for JSON back. */
  json(method: string, path: string, body: string, headers: Readonly<Record<string, string>> = {}) {
    return this.send(method, path, body, {
      "content-type": "application/json",
      accept: "application/json",
      ...headers,
    });
  }

  private send(
    method: string,
    path: string,
    body: string | undefined,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<PageResponse> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.site.address ?? "127.0.0.1",
          port: this.site.port,
          ...(this.site.localAddress === undefined ? {} : { localAddress: this.site.localAddress }),
          path,
          method,
          headers: {
            host: this.site.host,
            accept: "text/html",
            ...(cookie === "" ? {} : { cookie }),
            ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
            ...headers,
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => {
            keepSetCookies(this.jar, res.headers["set-cookie"] ?? []);
            const location = res.headers.location;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, location });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}
