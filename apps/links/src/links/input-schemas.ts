import { z } from "zod";
import { CHOSEN_SLUG } from "./slug.js";
import { MAX_TAGS, splitTags, TAG } from "./tags.js";
import { checkTargetUrl } from "./target-url.js";

const targetUrl = z.string({ error: "is required" }).transform((value, ctx) => {
  const checked = checkTargetUrl(value);
  if (!checked.ok) {
    ctx.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  }
  return checked.href;
});

/** Empty means "generate one for me". */
const slug = z
  .string()
  .trim()
  .refine((value) => value === "" || CHOSEN_SLUG.test(value), {
    message: "use 3–64 lowercase letters, digits and dashes (a-z, 0-9, -), or leave it empty",
  });

const title = z.string().trim().max(200, "is longer than 200 characters");

const tags = z
  .union([z.string().max(400, "are too long"), z.array(z.string().max(40)).max(MAX_TAGS * 2)])
  .transform((value, ctx) => {
    const list = splitTags(value);
    const bad = list.find((tag) => !TAG.test(tag));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${bad}" is not a tag: use letters, digits and dashes, up to 32 characters`,
      });
      return z.NEVER;
    }
    if (list.length > MAX_TAGS) {
      ctx.addIssue({ code: "custom", message: `are more than ${MAX_TAGS}` });
      return z.NEVER;
    }
    return list;
  });

/**
 * A new link, as the JSON API and the HTML form send it (the form is turned into
 * the same object first, see `formToLinkInput`). One schema, so both get the same
 * rules and the same messages.
 */
export const createLinkSchema = z.object({
  targetUrl,
  slug: slug.optional(),
  title: title.optional(),
  tags: tags.optional(),
  enabled: z.boolean({ error: "must be true or false" }).optional(),
});

/** A change to a link: any subset of the fields of a new one. */
export const updateLinkSchema = createLinkSchema.partial();

export type CreateLinkInput = z.output<typeof createLinkSchema>;
export type UpdateLinkInput = z.output<typeof updateLinkSchema>;

/** The list's filters (query string of the page and of GET /api/v1/links). */
export const listQuerySchema = z.object({
  q: z.string().trim().max(100, "is longer than 100 characters").optional().default(""),
  tag: z
    .string()
    .trim()
    .toLowerCase()
    .refine((value) => value === "" || TAG.test(value), { message: "is not a tag" })
    .optional()
    .default(""),
  page: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more").max(100_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100, "must be 100 or less").default(20),
});

export type ListQuery = z.output<typeof listQuerySchema>;

/**
 * An HTML form body as the API's object: a missing checkbox means "disabled"
 * (browsers send nothing for an unticked box), everything else is passed as typed.
 */
export function formToLinkInput(body: unknown): Record<string, unknown> {
  const form = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : undefined);
  return {
    targetUrl: text("targetUrl") ?? "",
    slug: text("slug") ?? "",
    title: text("title") ?? "",
    tags: text("tags") ?? "",
    enabled: form.enabled === "on" || form.enabled === "true",
  };
}
