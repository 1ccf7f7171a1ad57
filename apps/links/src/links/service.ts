import { MargError } from "@marg/core/errors";
import { validationError } from "@marg/core/web";
import { isUniqueViolation } from "../db/unique-violation.js";
import type { SlugCache } from "../redirect/slug-cache.js";
import type { CreateLinkInput, ListQuery, UpdateLinkInput } from "./input-schemas.js";
import {
  PUBLIC_ONLY,
  privateTargetMessage,
  refusedTargetReason,
  type TargetPolicy,
} from "./private-target.js";
import type { LinkRepository, LinkWrite } from "./repository.js";
import { generateSlug, isReservedSlug } from "./slug.js";
import type { Link, LinkActor, LinkPage } from "./types.js";

export interface LinkServiceDeps {
  readonly links: LinkRepository;
  readonly slugs: SlugCache;
  /** True when the server answers GET `path` itself (so a slug there would be shadowed). */
  readonly routeExists?: (path: string) => boolean;
  readonly now?: () => number;
  /** Which targets are allowed (LINKS_ALLOW_PRIVATE_TARGETS, the apps' own origins); default: public ones only. */
  readonly targetPolicy?: TargetPolicy;
}

function notFound(): MargError {
  return new MargError(
    "E_LINK_NOT_FOUND",
    "There is no such link among yours: it may have been deleted. Go back to your links.",
    { status: 404 },
  );
}

/**
 * What people do with links: create, change, switch on/off, delete, list.
 * Every change publishes the slug's new state to the redirect's cache.
 * Someone else's link reads as missing (404), so ids cannot be probed.
 */
export class LinkService {
  readonly #deps: LinkServiceDeps;
  readonly #now: () => number;

  constructor(deps: LinkServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  list(actor: LinkActor, query: ListQuery): Promise<LinkPage> {
    return this.#deps.links.list(actor, query);
  }

  tags(actor: LinkActor): Promise<string[]> {
    return this.#deps.links.tagsOf(actor);
  }

  /** The link if the actor may see it; E_LINK_NOT_FOUND otherwise. */
  async get(actor: LinkActor, id: number): Promise<Link> {
    const link = Number.isSafeInteger(id) && id > 0 ? await this.#deps.links.findById(id) : undefined;
    if (link === undefined || (!actor.seesAll && link.ownerId !== actor.userId)) throw notFound();
    return link;
  }

  async create(actor: LinkActor, input: CreateLinkInput): Promise<Link> {
    this.#assertPublicTarget(input.targetUrl);
    const chosen = input.slug ?? "";
    const write = (slug: string): LinkWrite => ({
      slug,
      targetUrl: input.targetUrl,
      title: input.title ?? "",
      tags: input.tags ?? [],
      enabled: input.enabled ?? true,
    });
    if (chosen !== "") {
      await this.#assertSlugFree(chosen);
      const link = await this.#insert(actor, write(chosen));
      if (link === undefined) throw validationError({ slug: "is already taken: choose another" });
      return link;
    }
    // A generated slug collides about once in a trillion; try a few before giving up.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const slug = generateSlug();
      if (isReservedSlug(slug, this.#deps.routeExists)) continue;
      const link = await this.#insert(actor, write(slug));
      if (link !== undefined) return link;
    }
    throw new MargError("E_HTTP_INTERNAL", "Could not find a free short name; try again.", { status: 500 });
  }

  async update(actor: LinkActor, id: number, input: UpdateLinkInput): Promise<Link> {
    const current = await this.get(actor, id);
    // Only a new target is judged: switching off a link made before the rule must still work.
    if (input.targetUrl !== undefined && input.targetUrl !== current.targetUrl) {
      this.#assertPublicTarget(input.targetUrl);
    }
    const slug = input.slug === undefined || input.slug === "" ? current.slug : input.slug;
    if (slug !== current.slug) await this.#assertSlugFree(slug);
    const write: LinkWrite = {
      slug,
      targetUrl: input.targetUrl ?? current.targetUrl,
      title: input.title ?? current.title,
      tags: input.tags ?? current.tags,
      enabled: input.enabled ?? current.enabled,
    };
    try {
      await this.#deps.links.update(id, write, this.#now());
    } catch (error) {
      if (isUniqueViolation(error)) throw validationError({ slug: "is already taken: choose another" });
      throw error;
    }
    if (slug !== current.slug) await this.#deps.slugs.publish(current.slug, null);
    await this.#deps.slugs.publish(slug, { id, target: write.targetUrl, enabled: write.enabled });
    return this.get(actor, id);
  }

  setEnabled(actor: LinkActor, id: number, enabled: boolean): Promise<Link> {
    return this.update(actor, id, { enabled });
  }

  async delete(actor: LinkActor, id: number): Promise<Link> {
    const link = await this.get(actor, id);
    await this.#deps.links.delete(id);
    await this.#deps.slugs.publish(link.slug, null);
    return link;
  }

  #assertPublicTarget(target: string): void {
    const reason = refusedTargetReason(target, this.#deps.targetPolicy ?? PUBLIC_ONLY);
    if (reason !== undefined) throw validationError({ targetUrl: privateTargetMessage(reason) });
  }

  async #assertSlugFree(slug: string): Promise<void> {
    if (isReservedSlug(slug, this.#deps.routeExists)) {
      throw validationError({ slug: `"${slug}" is reserved for the app's own pages: choose another` });
    }
    if (await this.#deps.links.slugExists(slug))
      throw validationError({ slug: "is already taken: choose another" });
  }

  /** Inserts, or returns undefined when the slug was taken meanwhile (unique index). */
  async #insert(actor: LinkActor, write: LinkWrite): Promise<Link | undefined> {
    try {
      const link = await this.#deps.links.insert(actor.userId, write, this.#now());
      // Replaces a cached "no such slug" left by someone who tried the address before it existed.
      await this.#deps.slugs.publish(link.slug, {
        id: link.id,
        target: link.targetUrl,
        enabled: link.enabled,
      });
      return link;
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }
}
