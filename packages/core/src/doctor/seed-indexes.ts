/**
 * Indexes the seed's "High Database Load" section says its tables need. A
 * table that exists without one is a finding; a table that does not exist is
 * not (an installation may not have that app). Add entries here as apps grow.
 */
export interface ExpectedIndex {
  readonly table: string;
  /** In order: an index whose leading columns are these covers it. */
  readonly columns: readonly string[];
}

export const SEED_INDEXES: readonly ExpectedIndex[] = [
  { table: "tasks", columns: ["user_id"] },
  { table: "tasks", columns: ["status", "created_at"] },
];
