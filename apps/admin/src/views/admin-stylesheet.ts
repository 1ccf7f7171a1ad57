import { readFileSync } from "node:fs";
import path from "node:path";
import { html, type PageRenderer, type SafeHtml } from "@marg/core/web";
import type { FastifyInstance } from "fastify";

const CSS = path.resolve(import.meta.dirname, "../../assets/admin.css");
const HREF = "/assets/admin.css";

/** Serves the admin stylesheet (public, like marg.css: the sign-in page may link it too). */
export function registerAdminStylesheet(app: FastifyInstance): void {
  const css = readFileSync(CSS);
  app.get(HREF, async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(css),
  );
}

const LINK: SafeHtml = html`<link rel="stylesheet" href="${HREF}">`;

/**
 * The shared page renderer with admin's stylesheet linked at the top of every
 * body (a `link` there is valid HTML and blocks rendering like one in the head),
 * so the app ships its own few rules without touching the shared layout.
 */
export function withAdminStylesheet(pages: PageRenderer): PageRenderer {
  return {
    page: (request, reply, options) =>
      pages.page(request, reply, { ...options, body: html`${LINK}${options.body}` }),
    html: (request, options) => pages.html(request, { ...options, body: html`${LINK}${options.body}` }),
  };
}
