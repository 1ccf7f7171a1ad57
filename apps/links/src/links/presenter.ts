import type { Link, LinkSummary } from "./types.js";

/** A link as the JSON API shows it. */
export function linkJson(link: Link | LinkSummary, baseUrl: string) {
  return {
    id: link.id,
    slug: link.slug,
    shortUrl: `${baseUrl}/${link.slug}`,
    targetUrl: link.targetUrl,
    title: link.title,
    tags: [...link.tags],
    enabled: link.enabled,
    ownerId: link.ownerId,
    ...("clicks" in link ? { clicks: link.clicks } : {}),
    createdAt: new Date(link.createdAt).toISOString(),
    updatedAt: new Date(link.updatedAt).toISOString(),
  };
}
