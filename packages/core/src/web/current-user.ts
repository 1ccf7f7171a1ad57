import type { FastifyRequest, preHandlerHookHandler } from "fastify";
import type { User } from "../auth/types.js";

/**
 * What the session remembers of the signed-in user, so an ordinary page needs no
 * users query. Disabling a user or changing a password ends their sessions, so
 * the snapshot cannot outlive the account; a profile change refreshes it.
 */
export interface SessionUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly avatarPath: string | null;
}

const USER_KEY = "auth:user";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user, or null. Loaded once per request by `loadCurrentUser`. */
    user: SessionUser | null;
  }
}

export function toSessionUser(user: User): SessionUser {
  return { id: user.id, name: user.name, email: user.email, avatarPath: user.avatarPath };
}

function isSessionUser(value: unknown): value is SessionUser {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.id === "number" &&
    typeof candidate.name === "string" &&
    typeof candidate.email === "string"
  );
}

/** Reads the user from the session; a session whose user id and snapshot disagree counts as signed out. */
export async function loadCurrentUser(request: FastifyRequest): Promise<SessionUser | null> {
  const userId = await request.session.userId();
  if (userId === null) return null;
  const snapshot = await request.session.get(USER_KEY);
  return isSessionUser(snapshot) && String(snapshot.id) === userId ? snapshot : null;
}

/**
 * The preHandler of `marg-current-user`: sets `request.user`. No cookie, no session:
 * static files, /health and first visits never touch the store (and, as a
 * callback-style hook, do not even pay for a promise).
 */
export const currentUserHook: preHandlerHookHandler = (request, _reply, done) => {
  if (request.headers.cookie === undefined) {
    request.user = null;
    done();
    return;
  }
  loadCurrentUser(request).then((user) => {
    request.user = user;
    done();
  }, done);
};

/** Signs the user in: new session id (no fixation), user indexed for "sign out everywhere". */
export async function signInSession(request: FastifyRequest, user: User): Promise<void> {
  await request.session.signIn(String(user.id));
  await request.session.set(USER_KEY, toSessionUser(user));
  request.user = toSessionUser(user);
}

/** Refreshes the snapshot after a profile change. */
export async function refreshSessionUser(request: FastifyRequest, user: User): Promise<void> {
  await request.session.set(USER_KEY, toSessionUser(user));
  request.user = toSessionUser(user);
}
