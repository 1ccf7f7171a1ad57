import type { FastifyRequest } from "fastify";
import { taskNotFound } from "../errors.js";
import type { TaskActor } from "../tasks/types.js";
import { PERMISSIONS } from "./permissions.js";

/** The signed-in user as a task actor (routes run this only behind requireAuth). */
export async function actorOf(request: FastifyRequest): Promise<TaskActor> {
  const user = request.user;
  if (user === null) throw new Error("actorOf needs a signed-in user; put requireAuth first");
  return { userId: user.id, viewAll: await request.can(PERMISSIONS.viewAllTasks) };
}

/** A form body as plain strings: repeated fields keep their first value, anything else is dropped. */
export function formFields(body: unknown): Record<string, string> {
  if (typeof body !== "object" || body === null) return {};
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") fields[name] = first;
  }
  return fields;
}

/** The query string as plain strings (same rules as forms). */
export function queryFields(request: FastifyRequest): Record<string, string> {
  return formFields(request.query);
}

/** A positive id from the route's params, or undefined when it is not one. */
export function idParam(params: unknown, name: string): number | undefined {
  const raw = (params as Record<string, unknown> | undefined)?.[name];
  const id = typeof raw === "string" && /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
  return id >= 1 ? id : undefined;
}

/** The task id of the route; anything else is "no such task" (404), never a 500. */
export function taskIdParam(params: unknown): number {
  const id = idParam(params, "id");
  if (id === undefined) throw taskNotFound(String((params as Record<string, unknown> | undefined)?.id ?? ""));
  return id;
}
