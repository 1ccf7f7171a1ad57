import type { RbacService } from "@marg/core/rbac";
import type { FastifyRequest } from "fastify";
import type { LinkActor } from "./types.js";

/**
 * Links belong to their owner. Admins (and super-admins) see and manage every
 * owner's links: the seeded roles have no "any owner" permission, and admins
 * are the ones who take down an abusive link.
 */
export const SEES_ALL_ROLE = "admin";

/** The signed-in user as a link actor (call after a permission guard: a guest never gets here). */
export async function actorOf(request: FastifyRequest, rbac: RbacService): Promise<LinkActor> {
  const user = request.user;
  if (user === null) throw new Error("actorOf called for a guest: guard the route first");
  return { userId: user.id, seesAll: await rbac.hasRole(user.id, SEES_ALL_ROLE) };
}

/** `/links/:id` ids: a positive integer, else 0 (which no link has, so it reads as not found). */
export function idParam(request: FastifyRequest): number {
  const raw = (request.params as { id?: unknown }).id;
  const id = typeof raw === "string" && /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  return id;
}
