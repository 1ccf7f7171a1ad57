/** A minimal browser for tests: keeps the cookies a server sets and sends them back, over a real socket. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly attributes: Readonly<Record<string, string | true>>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...parts] = header.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  const attributes: Record<string, string | true> = {};
  for (const part of parts) {
    const at = part.indexOf("=");
    if (at < 0) attributes[part.toLowerCase()] = true;
    else attributes[part.slice(0, at).toLowerCase()] = part.slice(at + 1);
  }
  return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
}

export interface BrowserResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly setCookies: readonly SetCookie[];
}

export class TestBrowser {
  constructor(
    readonly baseUrl: string,
    readonly cookies = new Map<string, string>(),
  ) {}

  /** The same browser (same cookie jar) visiting another app. */
  at(baseUrl: string): TestBrowser {
    return new TestBrowser(baseUrl, this.cookies);
  }

  async request(method: string, path: string, body?: unknown): Promise<BrowserResponse> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies]
        .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
        .join("; ");
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const cookie of setCookies) {
      if (cookie.attributes["max-age"] === "0") this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const text = await response.text();
    const parsed: unknown = text === "" ? {} : JSON.parse(text);
    return { status: response.status, body: parsed as Record<string, unknown>, setCookies };
  }

  get(path: string): Promise<BrowserResponse> {
    return this.request("GET", path);
  }

  post(path: string, body: unknown = {}): Promise<BrowserResponse> {
    return this.request("POST", path, body);
  }
}
