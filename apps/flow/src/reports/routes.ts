import { flash, parseJson, requireAuth, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  describeInput,
  errorResponses,
  paginationMeta,
  sessionSecurity,
  writeSecurity,
  zodValidated,
} from "../shared/api-schemas.js";
import { todayIso } from "../shared/format.js";
import { PERMISSIONS } from "../shared/permissions.js";
import { actorOf, formFields, idParam, queryFields } from "../shared/request-input.js";
import type { FlowRouteContext } from "../shared/route-context.js";
import { sendStoredFile } from "../shared/send-file.js";
import { presentReport, reportJson } from "./presenter.js";
import { reportRequestSchema } from "./schema.js";
import { reportFileName } from "./types.js";
import { reportsView } from "./views.js";

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

/** /reports (export form + the user's reports), the CSV download, and /api/v1/reports. */
export function registerReportRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, pages, guards } = ctx;
  const guard = [requireAuth, guards.requirePermission(PERMISSIONS.reports)];

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) => {
    const user = request.user;
    if (user === null) return reply;
    const { page } = pageQuery.parse({ page: queryFields(request).page ?? 1 });
    return pages.page(request, reply, {
      title: "Reports",
      current: "/reports",
      status: Object.keys(errors).length > 0 ? 422 : 200,
      body: reportsView({
        csrf: await request.session.csrfToken(),
        values,
        errors,
        reports: await services.reports.list(user.id, page),
      }),
    });
  };

  app.get("/reports", { preHandler: guard }, async (request, reply) => {
    const today = todayIso();
    return show(request, reply, { from: `${today.slice(0, 8)}01`, to: today });
  });

  app.post("/reports", { preHandler: guard }, async (request, reply) => {
    const form = formFields(request.body);
    const parsed = validateForm(reportRequestSchema, { from: form.from ?? "", to: form.to ?? "" });
    if (!parsed.ok) return show(request, reply, form, parsed.fields);
    await services.reports.request(await actorOf(request), parsed.data);
    const maxMb = services.platform.config.reports.attachMaxBytes / 1_048_576;
    await flash(
      request,
      "success",
      `Your export is being made. We will mail it to you when it is ready, attached up to ${maxMb} MB (a larger one as a link); it also stays here.`,
    );
    return reply.redirect("/reports", 303);
  });

  app.get("/reports/:id/download", { preHandler: guard }, async (request, reply) => {
    const user = request.user;
    if (user === null) return reply;
    const { report, absolutePath } = await services.reports.file(user.id, idParam(request.params, "id") ?? 0);
    return sendStoredFile(reply, {
      absolutePath,
      contentType: "text/csv",
      name: reportFileName(report),
      disposition: "attachment",
    });
  });

  app.get(
    "/api/v1/reports",
    {
      ...zodValidated,
      preHandler: guard,
      schema: {
        tags: ["reports"],
        summary: "Your reports, newest first, with their state",
        security: sessionSecurity,
        querystring: { type: "object", properties: { page: { type: "integer", minimum: 1 } } },
        response: {
          200: {
            type: "object",
            properties: { data: { type: "array", items: reportJson }, meta: paginationMeta },
            required: ["data", "meta"],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = request.user;
      const { page } = pageQuery.parse({ page: queryFields(request).page ?? 1 });
      const result = await services.reports.list(user?.id ?? 0, page);
      return {
        data: result.items.map(presentReport),
        meta: { total: result.total, page: result.page, perPage: result.perPage, pages: result.pages },
      };
    },
  );

  app.post(
    "/api/v1/reports",
    {
      ...zodValidated,
      preHandler: guard,
      schema: {
        tags: ["reports"],
        summary: "Export the tasks created in a date range (inclusive) to CSV; a link is mailed when ready",
        security: writeSecurity,
        body: describeInput(reportRequestSchema),
        response: {
          202: { type: "object", properties: { data: reportJson }, required: ["data"] },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const range = parseJson(reportRequestSchema, request.body);
      const report = await services.reports.request(await actorOf(request), range);
      return reply.code(202).send({ data: presentReport(report) });
    },
  );
}
