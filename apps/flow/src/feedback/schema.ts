import { z } from "zod";

/** A page people may mean: a path on this site (`/tasks/3`) or an http(s) URL. */
const pageSchema = z
  .string({ error: "Say which page this is about." })
  .trim()
  .min(1, "Say which page this is about.")
  .max(500, "Keep the page address to 500 characters.")
  .refine((value) => {
    if (value.startsWith("/") && !value.startsWith("//")) return true;
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "Give a path like /tasks or a web address starting with http:// or https://.");

/** Feedback as the form and the JSON API send it: the one schema for both. */
export const feedbackInputSchema = z.strictObject({
  rating: z
    .number({ error: "Choose a rating from 1 to 5." })
    .int("Choose a rating from 1 to 5.")
    .min(1, "Choose a rating from 1 to 5.")
    .max(5, "Choose a rating from 1 to 5."),
  body: z
    .string({ error: "Tell us what you think." })
    .trim()
    .min(1, "Tell us what you think.")
    .max(5_000, "Keep it to 5,000 characters."),
  page: pageSchema,
});
export type FeedbackInput = z.output<typeof feedbackInputSchema>;

/** The HTML form's fields in the API's shape (rating as a number when it is one). */
export function feedbackFormToInput(form: Readonly<Record<string, string>>): Record<string, unknown> {
  const rating = form.rating?.trim() ?? "";
  return {
    rating: /^\d$/.test(rating) ? Number(rating) : rating === "" ? undefined : rating,
    body: form.body ?? "",
    page: form.page ?? "",
  };
}
