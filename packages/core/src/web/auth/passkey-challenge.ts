import type { FastifyRequest } from "fastify";
import { MargError } from "../../errors/marg-error.js";

/**
 * Which ceremony a challenge was issued for: one never answers the other (a
 * password-less sign-in's challenge cannot finish a pending two-factor step).
 */
export type PasskeyCeremony = "registration" | "sign-in" | "second-factor";

/** A challenge lives as long as a person takes to touch the authenticator, and no longer. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;

const keyOf = (ceremony: PasskeyCeremony) => `passkey:challenge:${ceremony}`;

interface StoredChallenge {
  readonly challenge: string;
  readonly expiresAt: number;
}

function isStoredChallenge(value: unknown): value is StoredChallenge {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.challenge === "string" && typeof candidate.expiresAt === "number";
}

/** Keeps the challenge of a ceremony just begun in the session (replacing an unanswered one). */
export async function keepChallenge(
  request: FastifyRequest,
  ceremony: PasskeyCeremony,
  challenge: string,
  now = Date.now(),
): Promise<void> {
  await request.session.set(keyOf(ceremony), { challenge, expiresAt: now + PASSKEY_CHALLENGE_TTL_MS });
}

/**
 * Takes the session's challenge for `ceremony` out, so it answers one response at
 * most (right or wrong); E_AUTH_PASSKEY_INVALID when there is none or it expired.
 */
export async function takeChallenge(
  request: FastifyRequest,
  ceremony: PasskeyCeremony,
  now = Date.now(),
): Promise<string> {
  const stored = await request.session.get(keyOf(ceremony));
  if (stored !== undefined) await request.session.delete(keyOf(ceremony));
  if (!isStoredChallenge(stored)) {
    throw new MargError(
      "E_AUTH_PASSKEY_INVALID",
      "The passkey could not be verified: there is no challenge waiting for it (already used?). Try again.",
      { status: 400 },
    );
  }
  if (stored.expiresAt <= now) {
    throw new MargError(
      "E_AUTH_PASSKEY_INVALID",
      "The passkey could not be verified: it took too long. Try again.",
      { status: 400 },
    );
  }
  return stored.challenge;
}
