import type { FastifyInstance } from "fastify";
import { registerAccountRoutes } from "./account-routes.js";
import { registerApiTokenRoutes } from "./api-token-routes.js";
import type { AuthRouteContext } from "./auth-context.js";
import { registerDeviceRoutes } from "./devices-routes.js";
import { registerJoinRoutes } from "./join-routes.js";
import { registerPasskeyRoutes } from "./passkey-routes.js";
import { registerPasswordRoutes } from "./password-routes.js";
import { registerRegisterRoutes } from "./register-routes.js";
import { registerSignInRoutes } from "./sign-in-routes.js";
import { registerTwoFactorPasskeyRoutes } from "./two-factor-passkey-routes.js";
import { registerTwoFactorRoutes } from "./two-factor-routes.js";
import { registerTwoFactorSignInRoutes } from "./two-factor-sign-in.js";

export type { AuthRouteContext } from "./auth-context.js";

/** Every account page, on every app: sign in/out, sign up, sign-up and invitation links, password reset, account. */
export function registerAuthRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  registerSignInRoutes(app, ctx);
  registerRegisterRoutes(app, ctx);
  registerJoinRoutes(app, ctx);
  registerPasswordRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerApiTokenRoutes(app, ctx);
  registerDeviceRoutes(app, ctx);
  registerTwoFactorSignInRoutes(app, ctx);
  registerTwoFactorPasskeyRoutes(app, ctx);
  registerTwoFactorRoutes(app, ctx);
  registerPasskeyRoutes(app, ctx);
}
