import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { flash } from "../page-renderer.js";
import { requireAuth } from "../require-auth.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";
import { keepChallenge, takeChallenge } from "./passkey-challenge.js";
import { registerPasskeySignInRoutes } from "./passkey-sign-in-routes.js";
import { PASSKEY_SCRIPT_PATH, passkeysCard } from "./passkey-views.js";

const SCRIPT_FILE = path.resolve(import.meta.dirname, "../../../assets/marg-passkeys.js");

/**
 * Passkeys on the pages: the account page's card (list, add, remove), the browser
 * script both ceremonies run, and password-less sign-in (passkey-sign-in-routes.ts).
 * Challenges live in the session, one per ceremony, used once.
 */
export function registerPasskeyRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;
  const passkeys = platform.accounts.passkeys;
  const script = readFileSync(SCRIPT_FILE);
  const event = (type: "passkey.added" | "passkey.removed", userId: number, ip: string, name: string) =>
    platform.accountEvents.record({ type, userId, ip, app: platform.config.app.id, detail: { name } });

  app.get(PASSKEY_SCRIPT_PATH, async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").header("cache-control", "public, max-age=3600").send(script),
  );

  ctx.accountSections.add(async (request, csrf) =>
    passkeysCard({ csrf, passkeys: request.user === null ? [] : await passkeys.list(request.user.id) }),
  );

  /** Begins adding a passkey: the creation options for `navigator.credentials.create()`. */
  app.post("/account/passkeys/options", { preHandler: requireAuth }, async (request) => {
    const user = request.user;
    if (user === null) return {};
    const options = await passkeys.registrationOptions(user);
    await keepChallenge(request, "registration", options.challenge);
    return options;
  });

  /** Ends adding one: `{ name, credential }` with the browser's `credential.toJSON()`. */
  app.post("/account/passkeys", { preHandler: requireAuth }, async (request, reply) => {
    const user = request.user;
    if (user === null) return reply;
    const challenge = await takeChallenge(request, "registration");
    const credential = (request.body as { credential?: unknown } | null | undefined)?.credential;
    const passkey = await passkeys.register(
      user.id,
      credential,
      challenge,
      bodyField(request.body, "name") ?? "",
    );
    await event("passkey.added", user.id, request.ip, passkey.name);
    await flash(request, "success", `Passkey “${passkey.name}” added. You can sign in with it on every app.`);
    return reply.status(201).send({ passkey });
  });

  app.post<{ Params: { id: string } }>(
    "/account/passkeys/:id/remove",
    { preHandler: requireAuth },
    async (request, reply) => {
      const user = request.user;
      if (user === null) return reply;
      const id = Number(request.params.id);
      const mine = Number.isSafeInteger(id)
        ? (await passkeys.list(user.id)).find((p) => p.id === id)
        : undefined;
      if (mine !== undefined && (await passkeys.remove(user.id, id))) {
        await event("passkey.removed", user.id, request.ip, mine.name);
        await flash(request, "success", `Passkey “${mine.name}” removed.`);
      } else {
        await flash(request, "error", "That passkey is not on your account (already removed?).");
      }
      return reply.redirect("/account", 303);
    },
  );

  registerPasskeySignInRoutes(app, ctx);
}
