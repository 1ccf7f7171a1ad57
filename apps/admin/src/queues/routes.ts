import { isMargError, MargError } from "@marg/core/errors";
import { apiErrorResponses, flash, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { maskSecrets } from "./mask-secrets.js";
import { queueUnavailable } from "./service.js";
import { queueDashboardView, queueUnavailableView } from "./views.js";

/** Failed jobs listed on the dashboard (newest first). */
const FAILED_SHOWN = 50;

const jobIdSchema = z.object({ id: z.string().trim().min(1, "Pick a job.").max(191) });

/** The queue dashboard and its retry / forget buttons, each audited. */
export function registerQueueRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { pages, guards, services } = ctx;
  const view = guards.requirePermission("queues.view");
  const manage = guards.requirePermission("queues.manage");

  app.get("/queues", { preHandler: view }, async (request, reply) => {
    const queue = services.queue();
    const page = { title: "Queues", current: "/queues" };
    if (queue === undefined) {
      return pages.page(request, reply, { ...page, body: queueUnavailableView(queueUnavailable().message) });
    }
    try {
      const [status, failed] = await Promise.all([queue.status(), queue.failed({ limit: FAILED_SHOWN })]);
      return pages.page(request, reply, {
        ...page,
        body: queueDashboardView({
          csrf: await request.session.csrfToken(),
          status,
          failed,
          canManage: await request.can("queues.manage"),
        }),
      });
    } catch (error) {
      if (!isMargError(error)) throw error;
      return pages.page(request, reply, {
        ...page,
        status: error.status,
        body: queueUnavailableView(error.message),
      });
    }
  });

  /** Runs one dashboard action and goes back to the dashboard with its message (or why it could not). */
  const act = (path: string, run: (request: FastifyRequest) => Promise<string>) =>
    app.post(path, { preHandler: manage }, async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        await flash(request, "success", await run(request));
      } catch (error) {
        if (!isMargError(error)) throw error;
        await flash(request, "error", error.message);
      }
      return reply.redirect("/queues", 303);
    });

  const jobId = (request: FastifyRequest): string => {
    const parsed = validateForm(jobIdSchema, request.body);
    if (!parsed.ok) throw new MargError("E_VALIDATION", parsed.fields.id ?? "Pick a job.", { status: 422 });
    return parsed.data.id;
  };

  act("/queues/failed/retry", async (request) => {
    const name = await services.queueAdmin.retry(actorOf(request), jobId(request));
    return `Job ${name} is back on its queue.`;
  });

  act("/queues/failed/forget", async (request) => {
    const name = await services.queueAdmin.forget(actorOf(request), jobId(request));
    return `Failed job ${name} forgotten.`;
  });

  act("/queues/failed/retry-all", async (request) => {
    const count = await services.queueAdmin.retryAll(actorOf(request));
    return `${count} failed ${count === 1 ? "job is" : "jobs are"} back on their queues.`;
  });

  act("/queues/failed/flush", async (request) => {
    const count = await services.queueAdmin.flush(actorOf(request));
    return `${count} failed ${count === 1 ? "job" : "jobs"} forgotten.`;
  });

  app.get(
    "/api/v1/queues",
    {
      preHandler: guards.requirePermission("queues.view"),
      schema: {
        tags: ["queues"],
        summary: "Queue sizes, workers, throughput and recent failures (secrets masked)",
        response: {
          200: {
            type: "object",
            properties: {
              status: { type: "object", additionalProperties: true },
              failed: { type: "array", items: { type: "object", additionalProperties: true } },
            },
          },
          ...apiErrorResponses(503),
        },
      },
    },
    async () => {
      const queue = services.queue();
      if (queue === undefined) throw queueUnavailable();
      const [status, failed] = await Promise.all([queue.status(), queue.failed({ limit: 50 })]);
      return { status, failed: failed.map((job) => ({ ...job, payload: maskSecrets(job.payload) })) };
    },
  );
}
