import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isMargError } from "../errors/index.js";
import { createSessionStore } from "./create-session-store.js";
import { SessionFieldCodec } from "./session-codec.js";
import { readCookieValues, signSessionId, verifySessionCookie } from "./session-cookie.js";
import { newSessionId, storeKeyOf } from "./session-id.js";
import { SessionKeyRing } from "./session-keys.js";
import { sessionTestConfig } from "./test-support/session-test-app.js";

const current = randomBytes(32);
const previous = randomBytes(32);
const ring = new SessionKeyRing(current, [previous]);
const storeKey = storeKeyOf(newSessionId());

describe("session field encoding", () => {
  it("round-trips values, encrypted and bound to their session and field", () => {
    const codec = new SessionFieldCodec(ring, true, storeKey);
    const stored = codec.encode("k:cart", { items: ["book"] });
    expect(stored).toMatch(/^e1\.[0-9a-f]{8}\./);
    expect(stored).not.toContain("book");
    expect(codec.decode("k:cart", stored)).toEqual({ value: { items: ["book"] }, stale: false });
    expect(codec.decode("a:user", stored)).toBeUndefined();
    expect(
      new SessionFieldCodec(ring, true, storeKeyOf(newSessionId())).decode("k:cart", stored),
    ).toBeUndefined();
  });

  it("opens a field read again from the same codec without sharing the value, and still refuses a changed ciphertext", () => {
    const codec = new SessionFieldCodec(ring, true, storeKey);
    const stored = codec.encode("k:cart", { items: ["book"] });
    const first = codec.decode("k:cart", stored)?.value as { items: string[] };
    first.items.push("changed by the first request");
    expect(codec.decode("k:cart", stored)).toEqual({ value: { items: ["book"] }, stale: false });
    const body = stored.split(".")[2] ?? "";
    const flipped = `${stored.slice(0, stored.length - body.length)}${body.slice(0, 20)}${body[20] === "A" ? "B" : "A"}${body.slice(21)}`;
    expect(codec.decode("k:cart", flipped)).toBeUndefined();
    expect(codec.decode("k:other", stored)).toBeUndefined();
    expect(codec.decode("k:cart", stored)).toEqual({ value: { items: ["book"] }, stale: false });
  });

  it("reads values under a previous key or in plaintext, and marks them for rewriting", () => {
    const old = new SessionFieldCodec(new SessionKeyRing(previous), true, storeKey).encode("k:a", 1);
    const codec = new SessionFieldCodec(ring, true, storeKey);
    expect(codec.decode("k:a", old)).toEqual({ value: 1, stale: true });
    expect(codec.decode("k:a", 'j.{"x":1}')).toEqual({ value: { x: 1 }, stale: true });
    expect(new SessionFieldCodec(ring, false, storeKey).decode("k:a", 'j.{"x":1}')).toEqual({
      value: { x: 1 },
      stale: false,
    });
  });

  it("refuses values under an unknown key or in an unknown format", () => {
    const foreign = new SessionFieldCodec(new SessionKeyRing(randomBytes(32)), true, storeKey).encode(
      "k:a",
      1,
    );
    const codec = new SessionFieldCodec(ring, true, storeKey);
    expect(codec.decode("k:a", foreign)).toBeUndefined();
    expect(codec.decode("k:a", "j.{broken")).toBeUndefined();
    expect(codec.decode("k:a", "x.1")).toBeUndefined();
  });
});

describe("session cookie", () => {
  it("verifies under the current key, and under a previous key asks to be re-signed", () => {
    const id = newSessionId();
    expect(verifySessionCookie(ring, signSessionId(ring, id))).toEqual({
      sessionId: id,
      signedWithPreviousKey: false,
    });
    const oldCookie = signSessionId(new SessionKeyRing(previous), id);
    expect(verifySessionCookie(ring, oldCookie)?.signedWithPreviousKey).toBe(true);
    expect(verifySessionCookie(new SessionKeyRing(current), oldCookie)).toBeUndefined();
  });

  it("reads every value of a repeated cookie name, in header order", () => {
    expect(readCookieValues("a=1; marg_session=x; b=2; marg_session=%79", "marg_session")).toEqual([
      "x",
      "y",
    ]);
    expect(readCookieValues(undefined, "marg_session")).toEqual([]);
  });

  it("keeps derived keys out of logs", () => {
    expect(JSON.stringify({ ring })).toBe('{"ring":"[redacted]"}');
  });
});

describe("createSessionStore", () => {
  it("says which client is missing for the configured driver", async () => {
    const config = sessionTestConfig({
      APP_KEY: `base64:${current.toString("base64")}`,
      SESSION_DRIVER: "redis",
    });
    const error = await createSessionStore(config, {}).catch((caught: unknown) => caught);
    expect(isMargError(error) && error.code).toBe("E_SESSION_DRIVER_MISSING");
  });
});
