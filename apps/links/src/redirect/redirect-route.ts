import { MargError } from "@marg/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ClickCounter } from "../clicks/types.js";
import { dayOf, referrerHostOf } from "../domain/click-facts.js";
import { ANY_SLUG } from "../domain/slug.js";
import type { SlugCache } from "./slug-cache.js";

export interface RedirectDeps {
  readonly slugs: SlugCache;
  readonly counter: ClickCounter;
  readonly now?: () => number;
}

function notFound(): MargError {
  return new MargError(
    "E_LINK_NOT_FOUND",
    "This short link does not exist or has been switched off. Check the address, or ask whoever shared it for a new one.",
    { status: 404 },
  );
}

/**
 * The public redirect, GET /{slug}: the ecosystem's hot path. It answers from
 * the slug cache (in-process first), counts the click in the counter (one Redis
 * HINCRBY, or a memory increment) and sends a 302 — temporary, and not cached by
 * the browser, so every visit comes back here and is counted.
 *
 * It answers in its own onRequest hook, which runs before the app's preHandler
 * hooks: the signed-in-user lookup (a session store read whenever a cookie is
 * sent) and the CSRF guard never run for a redirect, and neither does body
 * parsing. It never touches `request.session` or `request.user`.
 */
export function registerRedirectRoute(app: FastifyInstance, deps: RedirectDeps): void {
  const now = deps.now ?? Date.now;
  let lastWarning = 0;
  // The UTC day, formatted once per day rather than once per request.
  let day = { from: 0, until: 0, text: "" };
  const today = (at: number) => {
    if (at < day.from || at >= day.until) {
      const from = at - (at % 86_400_000);
      day = { from, until: from + 86_400_000, text: dayOf(at) };
    }
    return day.text;
  };

  async function redirect(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { slug } = request.params as { slug: string };
    if (!ANY_SLUG.test(slug)) throw notFound();
    const target = await deps.slugs.resolve(slug);
    if (target === null || !target.enabled) throw notFound();
    if (request.method === "GET") {
      try {
        await deps.counter.record({
          linkId: target.id,
          day: today(now()),
          referrerHost: referrerHostOf(request.headers.referer),
        });
      } catch (error) {
        // The visitor still gets where they were going; an outage costs counts, not redirects.
        if (now() - lastWarning > 10_000) {
          lastWarning = now();
          request.log.warn({ err: (error as Error).message }, "click not counted");
        }
      }
    }
    return reply.header("cache-control", "private, no-store").redirect(target.target, 302);
  }

  app.get("/:slug", { onRequest: redirect, schema: { hide: true } }, redirect);
}
