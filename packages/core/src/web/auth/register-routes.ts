import type { FastifyInstance } from "fastify";
import { assertRegistrationOpen, parseSignUpEmail } from "../../auth/registration-policy.js";
import { isMargError } from "../../errors/marg-error.js";
import { accountSignUpJob } from "../../platform/account-jobs.js";
import { wantsJson } from "../error-response.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";
import { registerView } from "./auth-views.js";

/**
 * Self-service sign-up, only when REGISTRATION_ENABLED (otherwise 404 and no link on
 * the sign-in page). The form takes an address and queues `account.signup`; the
 * worker mails either a link that creates the account or, to an address that has
 * one, a note saying so. This request does the same work and gives the same answer
 * either way, so it tells nobody which addresses have accounts.
 */
export function registerRegisterRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { config } = ctx.platform;

  app.get("/register", async (request, reply) => {
    assertRegistrationOpen(config.auth);
    return ctx.pages.page(request, reply, {
      title: "Create an account",
      body: registerView({ csrf: await request.session.csrfToken(), values: {}, errors: {} }),
    });
  });

  app.post("/register", async (request, reply) => {
    assertRegistrationOpen(config.auth);
    const typed = bodyField(request.body, "email") ?? "";
    let problem: string | undefined;
    try {
      const email = parseSignUpEmail(typed, config.auth);
      await ctx.platform.queue.dispatch(accountSignUpJob, { email, appUrl: config.app.url });
    } catch (error) {
      const refused = isMargError(error) && error.status === 422;
      if (!refused || wantsJson(request)) throw error;
      problem = error.message;
    }
    if (wantsJson(request)) return reply.status(202).send({ sent: true });
    return ctx.pages.page(request, reply, {
      title: "Create an account",
      status: problem === undefined ? 200 : 422,
      body: registerView({
        csrf: await request.session.csrfToken(),
        values: { email: typed },
        errors: { email: problem },
        sent: problem === undefined,
      }),
    });
  });
}
