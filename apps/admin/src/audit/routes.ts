import { apiErrorResponses } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AdminRouteContext } from "../services.js";
import { nullableInteger, pageOf } from "../shared/api-schemas.js";
import { auditLogView } from "./views.js";

/** One audit row in the JSON of `GET /api/v1/audit`. */
const auditEntrySchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    actorUserId: nullableInteger,
    actorName: { type: ["string", "null"] },
    action: { type: "string" },
    subjectType: { type: "string" },
    subjectId: { type: "string" },
    before: {},
    after: {},
    ip: { type: ["string", "null"] },
    createdAt: { type: "integer" },
  },
  required: ["id", "actorUserId", "action", "subjectType", "subjectId", "createdAt"],
} as const;

/** Filters of the audit page and `GET /api/v1/audit`; anything malformed is ignored, not an error. */
export const auditQuerySchema = z.object({
  action: z
    .string()
    .trim()
    .regex(/^[a-z][a-z-]*(\.[a-z-]*)?$/)
    .catch("")
    .default(""),
  subjectType: z
    .string()
    .trim()
    .regex(/^[a-z][a-z-]{0,31}$/)
    .catch("")
    .default(""),
  subjectId: z.string().trim().max(191).catch("").default(""),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  perPage: z.coerce.number().int().min(1).max(100).catch(25).default(25),
});

/** The audit log: who did what, when, before and after. */
export function registerAuditRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { pages, guards, services } = ctx;
  app.get("/audit", { preHandler: guards.requirePermission("audit.view") }, async (request, reply) => {
    const filters = auditQuerySchema.parse(request.query ?? {});
    const page = await services.audit.list(filters);
    return pages.page(request, reply, {
      title: "Audit log",
      current: "/audit",
      body: auditLogView({ page, filters }),
    });
  });

  app.get(
    "/api/v1/audit",
    {
      preHandler: guards.requirePermission("audit.view"),
      schema: {
        tags: ["audit"],
        summary: "The audit log, newest first",
        querystring: {
          type: "object",
          properties: {
            action: { type: "string", description: "user.disable, or a prefix such as user." },
            subjectType: { type: "string" },
            subjectId: { type: "string" },
            page: { type: "integer", minimum: 1 },
            perPage: { type: "integer", minimum: 1, maximum: 100 },
          },
        },
        response: { 200: pageOf(auditEntrySchema), ...apiErrorResponses() },
      },
    },
    async (request) => services.audit.list(auditQuerySchema.parse(request.query ?? {})),
  );
}
