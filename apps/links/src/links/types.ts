/** A link as the app works with it (rows are mapped: booleans, tags, camelCase). */
export interface Link {
  readonly id: number;
  readonly slug: string;
  readonly targetUrl: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly enabled: boolean;
  readonly ownerId: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A link in a list, with its flushed click total. */
export interface LinkSummary extends Link {
  readonly clicks: number;
}

export interface LinkPage {
  readonly items: readonly LinkSummary[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

/** Who is asking: their id, and whether they may see every owner's links. */
export interface LinkActor {
  readonly userId: number;
  readonly seesAll: boolean;
}
