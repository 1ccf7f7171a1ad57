import { z } from "zod";

/** The stats range: the last 7, 30 or 90 days. */
export const statsQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .refine((days) => [7, 30, 90].includes(days), { message: "must be 7, 30 or 90" })
    .default(30),
});

/** The pages' range: a wrong `days` shows the default rather than an error. */
export function statsDaysOf(query: unknown): number {
  const parsed = statsQuerySchema.safeParse(query);
  return parsed.success ? parsed.data.days : 30;
}
