import type { FastifyRequest } from "fastify";
import { normalizeEmail } from "../../auth/email.js";
import type { RateLimitConfig } from "../../config/config-types.js";
import type { RateBudget } from "../../config/env-values.js";

/**
 * One rate limit on one kind of request: which routes, whose budget, and who is
 * counted. Every limit lives in this list, so the route files stay as they are.
 */
export interface RateLimitRule {
  /** The counter's namespace in the shared store (`rate:<name>:<digest>`), and its name in the docs. */
  readonly name: string;
  readonly methods: readonly string[];
  /** The route's URL pattern as registered (`/api/v1/tasks/:id`). */
  matches(url: string): boolean;
  budget(limits: RateLimitConfig): RateBudget;
  /** Who is counted; undefined: this request is not counted by this rule (e.g. no address given). */
  keyOf(request: FastifyRequest): string | undefined;
  /** What ran out, for the 429 message: "Too many <what>." */
  readonly what: string;
}

const WRITES = ["POST", "PUT", "PATCH", "DELETE"] as const;

const at =
  (path: string) =>
  (url: string): boolean =>
    url === path;

const clientAddress = (request: FastifyRequest) => `ip:${request.ip}`;

/** The signed-in user, else the client address (a guest's API write is refused anyway). */
const userOrAddress = (request: FastifyRequest) =>
  request.user === null || request.user === undefined ? clientAddress(request) : `user:${request.user.id}`;

function emailOf(request: FastifyRequest): string | undefined {
  const body = request.body;
  const value =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>).email : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return `email:${normalizeEmail(value)}`;
}

/** Every rate-limited door but sign-in (SignInService keeps its own backoff, see docs/sessions.md). */
export const RATE_LIMIT_RULES: readonly RateLimitRule[] = [
  {
    name: "forgot-password-ip",
    methods: ["POST"],
    matches: at("/forgot-password"),
    budget: (limits) => limits.forgotPasswordIp,
    keyOf: clientAddress,
    what: "password-reset requests from your address",
  },
  {
    name: "forgot-password-email",
    methods: ["POST"],
    matches: at("/forgot-password"),
    budget: (limits) => limits.forgotPasswordEmail,
    keyOf: emailOf,
    what: "password-reset mails for this email address",
  },
  {
    name: "register-ip",
    methods: ["POST"],
    matches: at("/register"),
    budget: (limits) => limits.registerIp,
    keyOf: clientAddress,
    what: "sign-ups from your address",
  },
  {
    name: "reset-password-ip",
    methods: ["POST"],
    matches: at("/reset-password"),
    budget: (limits) => limits.resetPasswordIp,
    keyOf: clientAddress,
    what: "new-password attempts from your address",
  },
  {
    name: "password-change",
    methods: ["POST"],
    matches: at("/account/password"),
    budget: (limits) => limits.passwordChange,
    keyOf: userOrAddress,
    what: "password changes for your account",
  },
  {
    // Turning two-factor off checks the password: no faster guessing here than at /account/password.
    name: "two-factor-disable",
    methods: ["POST"],
    matches: at("/account/two-factor/disable"),
    budget: (limits) => limits.passwordChange,
    keyOf: userOrAddress,
    what: "tries to turn two-factor sign-in off",
  },
  {
    name: "api-writes",
    methods: WRITES,
    matches: (url) => url.startsWith("/api/v1/"),
    budget: (limits) => limits.apiWrites,
    keyOf: userOrAddress,
    what: "API writes",
  },
];
