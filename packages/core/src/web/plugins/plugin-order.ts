import type { FastifyInstance } from "fastify";

/**
 * Fastify's `dependencies` say "after"; a few hooks must run *before* another
 * plugin's (maintenance answers before the session is made, sticky reads write
 * before the session is saved). Called from such a plugin, this refuses to start
 * when `later` is already registered, as Fastify refuses a missing dependency.
 */
export function registerBefore(app: FastifyInstance, self: string, later: string): void {
  if (app.hasPlugin(later)) {
    throw new Error(`${self} must be registered before ${later}: its hooks have to run first.`);
  }
}
