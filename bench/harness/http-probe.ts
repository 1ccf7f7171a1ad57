import { request } from "node:http";

export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
  readonly setCookie: readonly string[];
  /** The Location header of a redirect, if any. */
  readonly location?: string;
}

/** One request over a real socket to 127.0.0.1, Host chosen by the caller (GET unless a body is given); never follows redirects. */
export function probe(
  port: number,
  options: {
    host: string;
    path: string;
    headers?: Readonly<Record<string, string>>;
    /** Sent with POST. */
    body?: string;
    timeoutMs?: number;
  },
): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: options.path,
        method: options.body === undefined ? "GET" : "POST",
        headers: { host: options.host, ...options.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            setCookie: res.headers["set-cookie"] ?? [],
            ...(res.headers.location === undefined ? {} : { location: res.headers.location }),
          }),
        );
      },
    );
    const timeoutMs = options.timeoutMs ?? 10_000;
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no answer from ${options.host}${options.path} in ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** "name=value; name2=value2" from Set-Cookie lines. */
export const cookieHeader = (setCookie: readonly string[]): string =>
  setCookie
    .map((line) => line.split(";")[0] ?? "")
    .filter(Boolean)
    .join("; ");
