import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { isMargError } from "../../errors/marg-error.js";
import { keepChallenge, PASSKEY_CHALLENGE_TTL_MS, takeChallenge } from "./passkey-challenge.js";

/** A request whose session is a plain map: only get, set and delete are used. */
function requestWithSession(): { request: FastifyRequest; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const session = {
    get: async (key: string) => data.get(key),
    set: async (key: string, value: unknown) => {
      data.set(key, value);
    },
    delete: async (key: string) => {
      data.delete(key);
    },
  };
  return { request: { session } as unknown as FastifyRequest, data };
}

async function refusal(promise: Promise<unknown>): Promise<{ code?: string; status?: number }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isMargError(error) ? { code: error.code, status: error.status } : {};
}

describe("passkey challenges in the session", () => {
  it("answers one response at most: taken out by the first, right or wrong", async () => {
    const { request, data } = requestWithSession();
    await keepChallenge(request, "sign-in", "abc", 1_000);
    expect(await takeChallenge(request, "sign-in", 2_000)).toBe("abc");
    expect(data.size).toBe(0);
    expect(await refusal(takeChallenge(request, "sign-in", 2_000))).toEqual({
      code: "E_AUTH_PASSKEY_INVALID",
      status: 400,
    });
  });

  it("keeps one challenge per ceremony: a sign-in challenge never answers a registration", async () => {
    const { request } = requestWithSession();
    await keepChallenge(request, "sign-in", "for-sign-in", 0);
    expect((await refusal(takeChallenge(request, "registration", 1))).code).toBe("E_AUTH_PASSKEY_INVALID");
    expect(await takeChallenge(request, "sign-in", 1)).toBe("for-sign-in");
  });

  it("refuses a challenge past its five minutes, and forgets it", async () => {
    const { request, data } = requestWithSession();
    await keepChallenge(request, "registration", "old", 0);
    expect(await refusal(takeChallenge(request, "registration", PASSKEY_CHALLENGE_TTL_MS))).toEqual({
      code: "E_AUTH_PASSKEY_INVALID",
      status: 400,
    });
    expect(data.size).toBe(0);
  });
});
