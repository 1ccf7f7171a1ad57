import { flash, parseJson, requireAuth, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { describeInput, errorResponses, writeSecurity, zodValidated } from "../shared/api-schemas.js";
import { PERMISSIONS } from "../shared/permissions.js";
import { formFields, queryFields } from "../shared/request-input.js";
import type { FlowRouteContext } from "../shared/route-context.js";
import { feedbackFormToInput, feedbackInputSchema } from "./schema.js";
import { feedbackView } from "./views.js";

/** The page the user came from (same site only), to prefill "Page it is about". */
function pageHint(request: FastifyRequest): string {
  const fromQuery = queryFields(request).page;
  if (fromQuery?.startsWith("/") && !fromQuery.startsWith("//")) return fromQuery.slice(0, 500);
  const referer = request.headers.referer;
  if (typeof referer !== "string") return "";
  try {
    const url = new URL(referer);
    return url.host === request.host ? `${url.pathname}${url.search}`.slice(0, 500) : "";
  } catch {
    return "";
  }
}

/** GET/POST /feedback and POST /api/v1/feedback: stored in klue_portal_business for admin to read. */
export function registerFeedbackRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, pages, guards } = ctx;
  const guard = [requireAuth, guards.requirePermission(PERMISSIONS.sendFeedback)];

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) =>
    pages.page(request, reply, {
      title: "Feedback",
      current: "/feedback",
      status: Object.keys(errors).length > 0 ? 422 : 200,
      body: feedbackView({ csrf: await request.session.csrfToken(), values, errors }),
    });

  app.get("/feedback", { preHandler: guard }, async (request, reply) =>
    show(request, reply, { page: pageHint(request) }),
  );

  app.post("/feedback", { preHandler: guard }, async (request, reply) => {
    const form = formFields(request.body);
    const parsed = validateForm(feedbackInputSchema, feedbackFormToInput(form));
    if (!parsed.ok) return show(request, reply, form, parsed.fields);
    const user = request.user;
    if (user === null) return reply;
    await services.feedback.add(user, parsed.data);
    await flash(request, "success", "Thank you! Your feedback has been sent to the team.");
    return reply.redirect("/feedback", 303);
  });

  app.post(
    "/api/v1/feedback",
    {
      ...zodValidated,
      preHandler: guard,
      schema: {
        tags: ["feedback"],
        summary: "Send feedback (a rating from 1 to 5, text, and the page it is about)",
        security: writeSecurity,
        body: describeInput(feedbackInputSchema),
        response: {
          201: {
            type: "object",
            properties: {
              data: {
                type: "object",
                properties: {
                  id: { type: "integer" },
                  rating: { type: "integer" },
                  body: { type: "string" },
                  page: { type: "string" },
                  createdAt: { type: "string", format: "date-time" },
                },
                required: ["id", "rating", "body", "page", "createdAt"],
              },
            },
            required: ["data"],
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const input = parseJson(feedbackInputSchema, request.body);
      const user = request.user;
      if (user === null) return reply;
      const stored = await services.feedback.add(user, input);
      return reply.code(201).send({
        data: {
          id: stored.id,
          rating: stored.rating,
          body: stored.body,
          page: stored.page,
          createdAt: new Date(stored.createdAt).toISOString(),
        },
      });
    },
  );
}
