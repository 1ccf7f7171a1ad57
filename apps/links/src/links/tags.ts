export const MAX_TAGS = 10;
export const TAG = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Splits "news, Launch ,news" or ["news","launch"] into unique lowercase tags, in order. */
export function splitTags(input: string | readonly string[] | undefined): string[] {
  const parts = input === undefined ? [] : typeof input === "string" ? input.split(",") : input;
  const tags: string[] = [];
  for (const part of parts) {
    const tag = part.trim().toLowerCase();
    if (tag !== "" && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}
