import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AdminRouteContext } from "../services.js";
import { feedbackView } from "./views.js";

const feedbackQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  rating: z.coerce.number().int().min(1).max(5).optional().catch(undefined),
});

/** Feedback from flow's users (klue_portal_business), newest first. */
export function registerFeedbackRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { pages, guards, services } = ctx;
  app.get("/feedback", { preHandler: guards.requirePermission("feedback.view") }, async (request, reply) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const query = feedbackQuerySchema.parse({
      page: raw.page,
      rating: raw.rating === "" ? undefined : raw.rating,
    });
    const feedback = await services.feedback.list({
      page: query.page,
      perPage: 25,
      ...(query.rating === undefined ? {} : { rating: query.rating }),
    });
    return pages.page(request, reply, {
      title: "Feedback",
      current: "/feedback",
      body: feedbackView({ feedback, rating: query.rating }),
    });
  });
}
