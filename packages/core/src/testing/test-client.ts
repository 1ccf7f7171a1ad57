import type { FastifyInstance } from "fastify";

/** One answer as a test sees it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The Location header of a redirect, if any. */
  readonly location: string | undefined;
  /** The parsed body when it is JSON; undefined otherwise. */
  readonly json: unknown;
}

export interface TestRequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
}

/** An app a client can talk to: its server (reached by `inject`) and its host name. */
export interface TestTarget {
  readonly host: string;
  readonly server: FastifyInstance;
}

/**
 * A browser for tests that need no socket: requests go through Fastify's
 * `inject`, the app chosen by its host name (sent as Host, as nginx passes it),
 * one cookie jar shared by every app of the domain (the session cookie lives on
 * the parent domain). HTML forms are posted url-encoded; JSON writes carry the
 * `X-CSRF-Token` that `GET /api/v1/me` hands out. Never follows redirects, so a
 * test sees each 303 and where it points.
 */
export class TestClient {
  #csrf: string | undefined;

  constructor(
    readonly target: TestTarget,
    /** Cookie name → value; shared with every client made by `at()`. */
    readonly jar = new Map<string, string>(),
    private readonly targets: ReadonlyMap<string, TestTarget> = new Map(),
  ) {}

  /** The same client (same cookies) on another app of the installation, by id. */
  at(appId: string): TestClient {
    const target = this.targets.get(appId);
    if (target === undefined) throw new Error(`no app "${appId}" in this test installation`);
    return new TestClient(target, this.jar, this.targets);
  }

  /** A second client with a copy of this one's cookies (a stolen or replayed cookie). */
  clone(): TestClient {
    return new TestClient(this.target, new Map(this.jar), this.targets);
  }

  get(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.send("GET", path, undefined, options.headers);
  }

  /** Posts an HTML form (application/x-www-form-urlencoded). */
  post(path: string, fields: Readonly<Record<string, string>>, options: TestRequestOptions = {}) {
    return this.send("POST", path, new URLSearchParams(fields).toString(), {
      "content-type": "application/x-www-form-urlencoded",
      ...options.headers,
    });
  }

  /**
   * Opens `page` (following one same-site 303) and submits its form (the one
   * posting to `action`) with its own CSRF token plus `fields`.
   */
  async submit(page: string, action: string, fields: Readonly<Record<string, string>>) {
    let form = await this.get(page);
    if (form.status === 303 && form.location?.startsWith("/")) form = await this.get(form.location);
    const csrf = csrfTokenIn(form.body, action);
    if (csrf === undefined)
      throw new Error(`no form posting to ${action} on ${page} (status ${form.status})`);
    return this.post(action, { _csrf: csrf, ...fields });
  }

  /** A GET that asks for JSON, as an API client does. */
  getJson(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.send("GET", path, undefined, { accept: "application/json", ...options.headers });
  }

  /** A JSON write with the session's CSRF token (fetched once from `GET /api/v1/me`). */
  async sendJson(
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    options: TestRequestOptions = {},
  ): Promise<TestResponse> {
    this.#csrf ??= ((await this.getJson("/api/v1/me")).json as { csrfToken: string }).csrfToken;
    return this.send(method, path, body === undefined ? undefined : JSON.stringify(body), {
      accept: "application/json",
      "x-csrf-token": this.#csrf,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    });
  }

  /** Any request, with this client's cookies; `body` is sent as given. */
  async send(
    method: string,
    path: string,
    body?: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<TestResponse> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await this.target.server.inject({
      method: method as "GET",
      url: path,
      headers: {
        host: this.target.host,
        accept: "text/html",
        ...(cookie === "" ? {} : { cookie }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: body }),
    });
    const setCookie = response.headers["set-cookie"];
    keepSetCookies(
      this.jar,
      setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie],
    );
    const location = response.headers.location;
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string | string[] | undefined>,
      body: response.body,
      location: typeof location === "string" ? location : undefined,
      json: jsonOf(String(response.headers["content-type"] ?? ""), response.body),
    };
  }
}

/** Keeps each `Set-Cookie` line in `jar` as a browser would (an expired one deletes its cookie). */
export function keepSetCookies(jar: Map<string, string>, lines: readonly string[]): void {
  for (const line of lines) {
    const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    const expired = attributes.some(
      (attribute) =>
        /^max-age=0$/i.test(attribute) ||
        (/^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) < Date.now()),
    );
    if (expired) jar.delete(name);
    else jar.set(name, pair.slice(eq + 1));
  }
}

function jsonOf(contentType: string, body: string): unknown {
  if (body === "" || !/[/+]json\b/.test(contentType)) return undefined;
  return JSON.parse(body);
}

/** The `_csrf` value of the form posting to `action` (or of the first form) in an HTML page. */
export function csrfTokenIn(html: string, action?: string): string | undefined {
  const forms = html.split(/<form\b/).slice(1);
  const form = action === undefined ? forms[0] : forms.find((f) => f.includes(`action="${action}"`));
  return form === undefined ? undefined : /name="_csrf" value="([^"]*)"/.exec(form)?.[1];
}
