import type { Platform } from "@marg/core/platform";
import type { Queue } from "@marg/core/queue";
import { appOrigins } from "@marg/core/web";
import { createClickCounter } from "./clicks/create-click-counter.js";
import type { ClickCounter } from "./clicks/types.js";
import { linksDatabase } from "./db/database.js";
import type { TargetPolicy } from "./links/private-target.js";
import { LinkRepository } from "./links/repository.js";
import { LinkService } from "./links/service.js";
import { RedisInvalidationBus } from "./redirect/redis-invalidation-bus.js";
import { SlugCache } from "./redirect/slug-cache.js";
import { StatsRepository } from "./stats/repository.js";
import { StatsService } from "./stats/service.js";

/** Replaceable parts, for tests and benchmarks. */
export interface LinksOverrides {
  readonly counter?: ClickCounter;
  /** The queue exports go to; default the platform's. `null` switches exports off. */
  readonly queue?: Queue | null;
  /** Lifetime of the redirect's in-process slug copies (default 5 s). */
  readonly localSlugTtlMs?: number;
  readonly now?: () => number;
}

/** The services of one links.marg process, closed with its platform. */
export interface LinksServices {
  readonly links: LinkRepository;
  readonly service: LinkService;
  readonly slugs: SlugCache;
  readonly counter: ClickCounter;
  readonly stats: StatsService;
  readonly queue: Queue | undefined;
  readonly now: () => number;
}

/** LINKS_ALLOW_PRIVATE_TARGETS and the origins of the installation's apps. */
export function targetPolicyOf(platform: Platform): TargetPolicy {
  return {
    allowPrivate: platform.config.links.allowPrivateTargets,
    ownOrigins: new Set(appOrigins(platform.config).keys()),
  };
}

export function createLinksServices(
  platform: Platform,
  overrides: LinksOverrides,
  routeExists: (path: string) => boolean,
): LinksServices {
  const now = overrides.now ?? Date.now;
  const db = linksDatabase(platform);
  const links = new LinkRepository(db);
  const logger = platform.logger;
  let lastCacheWarning = 0;
  const slugs = new SlugCache({
    store: platform.cache,
    load: async (slug) => {
      const link = await links.findBySlug(slug);
      return link === undefined ? null : { id: link.id, target: link.targetUrl, enabled: link.enabled };
    },
    bus: platform.redis === undefined ? undefined : new RedisInvalidationBus(platform.redis),
    ...(overrides.localSlugTtlMs === undefined ? {} : { localTtlMs: overrides.localSlugTtlMs }),
    onStoreError: (error) => {
      if (now() - lastCacheWarning < 10_000) return;
      lastCacheWarning = now();
      logger.warn({ err: (error as Error).message }, "slug cache unavailable; reading links_db");
    },
    now,
  });
  const counter = overrides.counter ?? createClickCounter(platform, db, logger);
  // Registered last, so it runs first at close: buffered clicks are written before links_db closes.
  platform.onClose(async () => {
    await counter.close();
    await slugs.close();
  });
  return {
    links,
    service: new LinkService({
      links,
      slugs,
      routeExists,
      now,
      targetPolicy: targetPolicyOf(platform),
    }),
    slugs,
    counter,
    stats: new StatsService(new StatsRepository(db), counter, now),
    queue: overrides.queue === null ? undefined : (overrides.queue ?? platform.queue),
    now,
  };
}
