import { escapeHtml } from "./html.js";
import type { ErrorPageContext } from "./types.js";

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad request",
  401: "Sign in needed",
  403: "Not allowed",
  404: "Page not found",
  409: "Conflict",
  413: "Request too large",
  415: "Unsupported content type",
  419: "Page expired",
  422: "Some fields need fixing",
  429: "Too many requests",
  500: "Something went wrong",
  503: "Service unavailable",
};

/** The heading shown for a status. */
export function titleForStatus(status: number): string {
  return TITLES[status] ?? (status >= 500 ? "Something went wrong" : "Request failed");
}

/**
 * MARG's standalone error page: no assets, no scripts, everything escaped.
 * Apps replace it with `renderErrorPage` once they have their shared layout.
 */
export function renderDefaultErrorPage(ctx: ErrorPageContext): string {
  const fields = ctx.fields
    ? `<ul>${Object.entries(ctx.fields)
        .map(([name, problem]) => `<li><strong>${escapeHtml(name)}</strong> ${escapeHtml(problem)}</li>`)
        .join("")}</ul>`
    : "";
  const stack = ctx.debugStack ? `<pre>${escapeHtml(ctx.debugStack)}</pre>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${ctx.status} · ${ctx.title} · ${ctx.appName}`)}</title>
<link rel="stylesheet" href="/assets/marg.css">
</head>
<body>
<main>
<h1>${escapeHtml(ctx.title)}</h1>
<p>${escapeHtml(ctx.message)}</p>
${fields}
<p><small>${escapeHtml(ctx.status)} · <code>${escapeHtml(ctx.code)}</code> · request id <code>${escapeHtml(ctx.requestId)}</code></small></p>
<p><a href="/">Home</a></p>
${stack}
</main>
</body>
</html>
`;
}
