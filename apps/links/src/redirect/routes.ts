import { MargError } from "@marg/core/errors";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { dayOf, referrerHostOf } from "../clicks/click-facts.js";
import type { ClickCounter } from "../clicks/types.js";
import { PUBLIC_ONLY, refusedTargetReason, type TargetPolicy } from "../links/private-target.js";
import { ANY_SLUG } from "../links/slug.js";
import type { SlugCache } from "./slug-cache.js";

export interface RedirectDeps {
  readonly slugs: SlugCache;
  readonly counter: ClickCounter;
  readonly now?: () => number;
  /** Which targets are followed; a link stored before the rule that breaks it is refused here too. */
  readonly targetPolicy?: TargetPolicy;
}

function notFound(): MargError {
  return new MargError(
    "E_LINK_NOT_FOUND",
    "This short link does not exist or has been switched off. Check the address, or ask whoever shared it for a new one.",
    { status: 404 },
  );
}

function privateTarget(): MargError {
  return new MargError(
    "E_LINK_TARGET_PRIVATE",
    "This short link leads to a private or local network address, which MARG does not redirect to. Ask whoever shared it for a public address.",
    { status: 403 },
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
 *
 * A target on a loopback, private, link-local or metadata address is refused
 * (403 E_LINK_TARGET_PRIVATE) unless LINKS_ALLOW_PRIVATE_TARGETS: creating such a
 * link is refused already, and this catches the links stored before that rule.
 */
export function registerRedirectRoute(app: FastifyInstance, deps: RedirectDeps): void {
  const now = deps.now ?? Date.now;
  const policy = deps.targetPolicy ?? PUBLIC_ONLY;
  // One URL parse per click at most; the answer per target is kept, as targets repeat.
  const verdicts = new Map<string, boolean>();
  const refused = (target: string): boolean => {
    let verdict = verdicts.get(target);
    if (verdict === undefined) {
      verdict = refusedTargetReason(target, policy) !== undefined;
      if (verdicts.size >= 10_000) verdicts.clear();
      verdicts.set(target, verdict);
    }
    return verdict;
  };
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
    if (refused(target.target)) throw privateTarget();
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
