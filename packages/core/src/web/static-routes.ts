import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";

const CSS = path.resolve(import.meta.dirname, "../../assets/marg.css");
const AVATAR_FILE = /^[A-Za-z0-9_-]{1,80}\.webp$/;

/**
 * The shared stylesheet (read once, cached by browsers for an hour) and avatars
 * from storage/avatars, by file names the avatar job generates (nothing else is
 * served, so no path can climb out of the folder).
 */
export function registerStaticRoutes(app: FastifyInstance, storagePath: string): void {
  const css = readFileSync(CSS);
  app.get("/assets/marg.css", async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(css),
  );
  app.get("/favicon.ico", async (_request, reply) =>
    reply.status(204).header("cache-control", "public, max-age=86400").send(),
  );
  app.get<{ Params: { file: string } }>("/avatars/:file", async (request, reply) => {
    if (!AVATAR_FILE.test(request.params.file)) return reply.callNotFound();
    try {
      const body = await readFile(path.join(storagePath, "avatars", request.params.file));
      return reply.type("image/webp").header("cache-control", "private, max-age=300").send(body);
    } catch {
      return reply.callNotFound();
    }
  });
}
