import { readFileSync } from "node:fs";
import path from "node:path";
import { html, type PageRenderer } from "@marg/core/web";
import type { FastifyInstance } from "fastify";

const CSS_FILE = path.resolve(import.meta.dirname, "../../assets/flow.css");
export const FLOW_CSS_URL = "/assets/flow.css";

/** Serves flow's stylesheet (read once; browsers keep it an hour, like marg.css). */
export function registerFlowAssets(app: FastifyInstance): void {
  const css = readFileSync(CSS_FILE);
  app.get(FLOW_CSS_URL, async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(css),
  );
}

/**
 * The platform's page renderer, with flow's stylesheet linked at the top of
 * each page's body (a `<link rel="stylesheet">` is allowed there, and the
 * shared layout has no per-app head).
 */
export function withFlowStyles(pages: PageRenderer): PageRenderer {
  const styled = <T extends { body: Parameters<typeof html>[1] }>(options: T): T => ({
    ...options,
    body: html`<link rel="stylesheet" href="${FLOW_CSS_URL}">${options.body}`,
  });
  return {
    page: (request, reply, options) => pages.page(request, reply, styled(options)),
    html: (request, options) => pages.html(request, styled(options)),
  };
}
