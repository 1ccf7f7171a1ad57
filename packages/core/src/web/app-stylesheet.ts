import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";

/** Where an app's own stylesheet is served: `/assets/<app id>.css`. */
export function appStylesheetHref(appId: string): string {
  return `/assets/${appId}.css`;
}

/**
 * Serves an app's stylesheet (`defineApp({ stylesheet })`) at its href, public
 * like marg.css (the sign-in page links it too), and returns the hrefs for the
 * layout's `<head>`. The CSP allows styles from 'self' only, so an app's rules
 * live in a file, never inline. Read once: it ships with the app.
 */
export function registerAppStylesheet(
  app: FastifyInstance,
  appId: string,
  file: string | undefined,
): readonly string[] {
  if (file === undefined) return [];
  const href = appStylesheetHref(appId);
  const css = readFileSync(file);
  app.get(href, async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(css),
  );
  return [href];
}
