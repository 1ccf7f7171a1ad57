import type { FastifyReply, FastifyRequest } from "fastify";
import { type RbacDenial, RbacDeniedError } from "../rbac/rbac-denial.js";
import type { RbacGuardOptions } from "../rbac/rbac-guards.js";
import { wantsJson } from "./error-response.js";
import { html } from "./html.js";

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

/** A browser guest is sent to sign in: 302 for GET/HEAD, 303 after a form post (fetched back with GET). */
function redirectToSignIn(request: FastifyRequest, reply: FastifyReply, loginPath: string): FastifyReply {
  const status = request.method === "GET" || request.method === "HEAD" ? 302 : 303;
  return reply.code(status).redirect(loginRedirectUrl(request, loginPath));
}

/** Answers a denial on its own: browsers get a sign-in redirect (401) or a page (403), API clients JSON. */
export function sendRbacDenial(
  request: FastifyRequest,
  reply: FastifyReply,
  denial: RbacDenial,
  loginPath = "/login",
): FastifyReply {
  if (wantsJson(request)) {
    return reply
      .code(denial.status)
      .type("application/json; charset=utf-8")
      .send({
        error: { code: denial.code, message: denial.message, requestId: request.id, ...denial.required },
      });
  }
  if (denial.status === 401) return redirectToSignIn(request, reply, loginPath);
  return reply.code(403).type("text/html; charset=utf-8").send(forbiddenPage(denial, request.id));
}

/**
 * How route guards' denials are answered (`createRbacGuards({ onDenied })`):
 * `throw` (an app server's): browser guests go to sign in, everything else is
 * thrown as `RbacDeniedError` for the app's error handler to render in its layout;
 * `render`: answered here, with a standalone 403 page, for a bare Fastify app.
 */
export function rbacDenialResponder(
  mode: "render" | "throw",
  loginPath = "/login",
): NonNullable<RbacGuardOptions["onDenied"]> {
  if (mode === "render") return (request, reply, denial) => sendRbacDenial(request, reply, denial, loginPath);
  return (request, reply, denial) => {
    if (denial.status === 403 || wantsJson(request)) throw new RbacDeniedError(denial);
    return redirectToSignIn(request, reply, loginPath);
  };
}
