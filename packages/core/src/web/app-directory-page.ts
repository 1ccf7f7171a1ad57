import type { IncomingMessage, ServerResponse } from "node:http";
import type { RawHandler } from "./host-router.js";
import { escapeHtml } from "./html.js";
import { SECURITY_HEADERS } from "./standard-headers.js";

export interface AppLink {
  readonly name: string;
  readonly url: string;
}

/** A small page listing where each app lives, for hosts no app answers. */
export function renderAppDirectoryPage(links: readonly AppLink[], host: string): string {
  const items = links
    .map(
      (link) =>
        `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.name)}</a> — ${escapeHtml(link.url)}</li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>MARG</title>
</head>
<body>
<h1>MARG</h1>
<p>No app answers at <code>${escapeHtml(host || "this address")}</code>. The apps are:</p>
<ul>
${items}
</ul>
</body>
</html>
`;
}

/** The host router's fallback: 404 with the list of app URLs. */
export function createAppDirectoryFallback(links: readonly AppLink[]): RawHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    const body = renderAppDirectoryPage(links, String(req.headers.host ?? ""));
    res.writeHead(404, {
      ...SECURITY_HEADERS,
      "content-type": "text/html; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}
