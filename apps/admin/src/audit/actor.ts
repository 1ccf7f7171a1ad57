import type { FastifyRequest } from "fastify";

/** Who is acting, as the audit log records it. */
export interface Actor {
  readonly userId: number;
  readonly ip: string | null;
}

/** The signed-in admin of a request (routes run behind requireAdminAccess, so there is one). */
export function actorOf(request: FastifyRequest): Actor {
  const id = request.user?.id;
  if (id === undefined) throw new Error("actorOf() needs a signed-in user; guard the route first");
  return { userId: id, ip: request.ip ?? null };
}
