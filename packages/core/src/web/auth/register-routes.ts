import type { FastifyInstance } from "fastify";
import { isMargError, MargError } from "../../errors/marg-error.js";
import { wantsJson } from "../../http/error-response.js";
import { signInSession } from "../current-user.js";
import { flash } from "../page-renderer.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";
import { registerView } from "./auth-views.js";

/** Maps the repository's validation errors to the form's fields. */
function fieldsOf(error: unknown): Record<string, string> | undefined {
  if (!isMargError(error)) return undefined;
  const fields = error.details?.fields;
  if (typeof fields === "object" && fields !== null) return fields as Record<string, string>;
  if (error.code === "E_AUTH_EMAIL_TAKEN" || error.code === "E_AUTH_EMAIL_INVALID")
    return { email: error.message };
  if (error.code === "E_AUTH_PASSWORD_WEAK") return { password: error.message };
  if (error.code === "E_AUTH_NAME_INVALID") return { name: error.message };
  return undefined;
}

/** Self-service sign-up, when REGISTRATION_ENABLED. New accounts get the `member` role if it exists. */
export function registerRegisterRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const enabled = () => {
    if (!ctx.platform.config.auth.registrationEnabled) {
      throw new MargError(
        "E_HTTP_NOT_FOUND",
        "Sign-up is turned off here; ask an administrator for an account.",
        {
          status: 404,
        },
      );
    }
  };

  app.get("/register", async (request, reply) => {
    enabled();
    return ctx.pages.page(request, reply, {
      title: "Create an account",
      body: registerView({ csrf: await request.session.csrfToken(), values: {}, errors: {} }),
    });
  });

  app.post("/register", async (request, reply) => {
    enabled();
    const values = {
      name: bodyField(request.body, "name") ?? "",
      email: bodyField(request.body, "email") ?? "",
    };
    try {
      const user = await ctx.platform.users.create({
        ...values,
        password: bodyField(request.body, "password") ?? "",
      });
      await ctx.onRegistered?.(user.id);
      await signInSession(request, user);
      if (wantsJson(request)) return reply.status(201).send({ user: request.user });
      await flash(request, "success", `Welcome, ${user.name}.`);
      return reply.redirect("/", 303);
    } catch (error) {
      const fields = fieldsOf(error);
      if (fields === undefined || wantsJson(request)) throw error;
      return ctx.pages.page(request, reply, {
        title: "Create an account",
        status: 422,
        body: registerView({ csrf: await request.session.csrfToken(), values, errors: fields }),
      });
    }
  });
}
