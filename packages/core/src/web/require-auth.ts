import type { FastifyReply, FastifyRequest } from "fastify";
import { MargError } from "../errors/marg-error.js";
import { wantsJson } from "./error-response.js";

/**
 * Route guard: browsers that are not signed in go to the sign-in page and come
 * back afterwards; JSON clients get 401 E_AUTH_REQUIRED.
 *
 * @example
 * app.get("/tasks", { preHandler: requireAuth }, listTasks);
 */
export async function requireAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.user !== null) return;
  if (wantsJson(request)) {
    throw new MargError("E_AUTH_REQUIRED", "Sign in first: this needs a signed-in user.", { status: 401 });
  }
  const next = encodeURIComponent(request.url);
  await reply.redirect(`/login?next=${next}`, 303);
}
