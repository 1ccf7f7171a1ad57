import { request } from "node:http";

/** Where each host name of the test installation listens: `id.marg.test` → 127.0.0.1:<port>. */
export type HostPorts = ReadonlyMap<string, number>;

type FetchInit = {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: unknown;
};

/**
 * A `fetch` that reaches the test installation's hosts over real sockets: the
 * request goes to 127.0.0.1 on the host's port with the host name in `Host`, as
 * nginx would pass it (Node's fetch cannot send its own Host header). Never
 * follows redirects. Unknown hosts are refused, so a test never leaves the machine.
 */
export function hostFetch(ports: HostPorts) {
  return async (input: string | URL | Request, init: FetchInit = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const port = ports.get(url.host);
    if (port === undefined) throw new Error(`hostFetch: no test server for ${url.host}`);
    const headers = new Headers(init.headers);
    headers.set("host", url.host);
    const body = bodyOf(init.body);
    if (body !== undefined) headers.set("content-length", String(Buffer.byteLength(body)));
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(
        {
          host: "127.0.0.1",
          port,
          method: init.method ?? "GET",
          path: `${url.pathname}${url.search}`,
          headers: Object.fromEntries(headers.entries()),
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("end", () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value === undefined) continue;
              for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
            }
            const status = incoming.statusCode ?? 500;
            const empty = status === 204 || status === 304;
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
          });
          incoming.on("error", reject);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  };
}

function bodyOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new Error("hostFetch: only string and URLSearchParams bodies");
}
