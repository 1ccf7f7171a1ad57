import type { FastifyReply, FastifyRequest } from "fastify";
import { wantsJson } from "../web/error-response.js";
import { html } from "../web/html.js";

/** Why a guard turned a request away. */
export interface RbacDenial {
  readonly status: 401 | 403;
  readonly code: "E_AUTH_REQUIRED" | "E_RBAC_FORBIDDEN";
  readonly message: string;
  /** What was required: `{ permission: "links.delete" }` or `{ role: "admin" }`. */
  readonly required: { readonly permission?: string; readonly role?: string };
}

/** Where a browser goes to sign in, coming back to this page afterwards (a relative path: no open redirect). */
export function loginRedirectUrl(request: FastifyRequest, loginPath: string): string {
  return `${loginPath}?next=${encodeURIComponent(request.url)}`;
}

function forbiddenPage(denial: RbacDenial, requestId: string): string {
  const what =
    denial.required.permission !== undefined
      ? html`the permission <code>${denial.required.permission}</code>`
      : html`the role <code>${denial.required.role ?? ""}</code>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>403 · Not allowed · MARG</title>
<link rel="stylesheet" href="/assets/marg.css">
</head>
<body>
<main>
<h1>Not allowed</h1>
<p>You are signed in, but this page needs ${what}, which your account does not have.</p>
<p>If you need it for your work, ask an administrator to grant it to you.</p>
<p><small>403 · <code>E_RBAC_FORBIDDEN</code> · request id <code>${requestId}</code></small></p>
<p><a href="/">Home</a></p>
</main>
</body>
</html>
`.toString();
}

/** Answers a denial: browsers get a sign-in redirect (401) or a page (403), API clients JSON. */
export function sendDenial(
  request: FastifyRequest,
  reply: FastifyReply,
  denial: RbacDenial,
  loginPath: string,
) {
  if (wantsJson(request)) {
    return reply
      .code(denial.status)
      .type("application/json; charset=utf-8")
      .send({
        error: { code: denial.code, message: denial.message, requestId: request.id, ...denial.required },
      });
  }
  if (denial.status === 401) {
    // 303 after a form post, so the browser fetches the sign-in page with GET.
    const status = request.method === "GET" || request.method === "HEAD" ? 302 : 303;
    return reply.code(status).redirect(loginRedirectUrl(request, loginPath));
  }
  return reply.code(403).type("text/html; charset=utf-8").send(forbiddenPage(denial, request.id));
}
