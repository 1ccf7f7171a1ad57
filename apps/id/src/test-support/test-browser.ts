import { keepSetCookies } from "@marg/core/testing";
import { type HostPorts, hostFetch } from "./host-fetch.js";

export interface BrowserPage {
  readonly url: URL;
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

/**
 * A person's browser for OIDC journeys over real sockets: one cookie jar per host
 * (the MARG session cookie, set on the parent domain, is sent to every host of the
 * domain; the provider's cookies stay on the id host), redirects followed until an
 * answer that is not a redirect or a host the installation does not serve (a
 * client's redirect URI), which is returned as the final URL with status 0.
 */
export class TestBrowser {
  readonly #fetch: ReturnType<typeof hostFetch>;

  constructor(
    private readonly ports: HostPorts,
    /** Cookies of the parent domain (MARG's session), shared with a signed-in TestClient. */
    readonly domainJar: Map<string, string> = new Map(),
    readonly hostJar: Map<string, string> = new Map(),
  ) {
    this.#fetch = hostFetch(ports);
  }

  /** Opens `url` and follows redirects (GET) as a browser does. */
  async open(
    url: string | URL,
    init: { method?: string; form?: Record<string, string>; referer?: string } = {},
  ): Promise<BrowserPage> {
    let target = new URL(url);
    let method = init.method ?? "GET";
    let body = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
    let referer = init.referer;
    for (let hops = 0; hops < 20; hops++) {
      if (!this.ports.has(target.host)) return { url: target, status: 0, body: "", headers: new Headers() };
      const headers: Record<string, string> = { cookie: this.#cookieHeader(), accept: "text/html" };
      if (referer !== undefined) headers.referer = referer;
      if (body !== undefined) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        headers.origin = target.origin;
      }
      const response = await this.#fetch(target, { method, headers, body });
      this.#keep(response.headers.getSetCookie());
      const location = response.headers.get("location") ?? refreshTarget(response.headers.get("refresh"));
      if (
        ((response.status >= 300 && response.status < 400) || response.status === 200) &&
        location !== null
      ) {
        // A redirect keeps the Referer of the navigation (the form page); a Refresh names the page it left.
        if (response.status === 200) referer = target.href;
        target = new URL(location, target);
        method = "GET";
        body = undefined;
        continue;
      }
      return { url: target, status: response.status, body: await response.text(), headers: response.headers };
    }
    throw new Error("TestBrowser: too many redirects");
  }

  /**
   * Submits the form of `page` that posts to `action` (as the person clicking its
   * button): its hidden fields (the `_csrf` or provider `xsrf` token) plus `fields`.
   */
  async submit(page: BrowserPage, action: string, fields: Record<string, string> = {}): Promise<BrowserPage> {
    const form = page.body
      .split(/<form\b/)
      .slice(1)
      .find((one) => one.includes(`action="${action}"`));
    if (form === undefined) throw new Error(`TestBrowser: no form posting to ${action} on ${page.url.href}`);
    const hidden: Record<string, string> = {};
    for (const input of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      hidden[input[1] ?? ""] = (input[2] ?? "").replaceAll("&amp;", "&");
    }
    return this.open(new URL(action, page.url), {
      method: "POST",
      form: { ...hidden, ...fields },
      referer: page.url.href,
    });
  }

  #cookieHeader(): string {
    return [...this.domainJar, ...this.hostJar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  #keep(lines: readonly string[]): void {
    const domain = lines.filter((line) => /;\s*domain=/i.test(line));
    const host = lines.filter((line) => !/;\s*domain=/i.test(line));
    keepSetCookies(this.domainJar, domain);
    keepSetCookies(this.hostJar, host);
  }
}

/** The URL of a `Refresh: 0;url=…` header, as a browser follows it. */
function refreshTarget(header: string | null): string | null {
  const match = header === null ? null : /^\s*\d+\s*;\s*url=(.+)$/i.exec(header);
  return match?.[1]?.trim() ?? null;
}
