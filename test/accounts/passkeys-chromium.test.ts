import { createServer, type Server } from "node:http";
import path from "node:path";
import {
  ARGON2_INSECURE_TEST_PARAMS,
  type AuthDatabase,
  authMigrations,
  PasskeyService,
  PasswordHasher,
  UserRepository,
} from "@marg/core/auth";
import { isMargError } from "@marg/core/errors";
import { createTempDir } from "@marg/core/testing";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addVirtualAuthenticator, CHROMIUM_ARGS, CHROMIUM_BIN } from "../support/chromium-browser.js";

// Passkeys through @simplewebauthn/server against Chromium's virtual authenticator
// (DevTools protocol WebAuthn.*): the relying party is the parent domain, so a passkey
// registered on flow signs in on links. Plain http origins are made secure contexts
// with --unsafely-treat-insecure-origin-as-secure, as nginx's TLS would in production.

/** Runs a WebAuthn ceremony in the page from the server's JSON options; returns the browser's JSON answer. */
async function ceremony(page: Page, kind: "create" | "get", options: unknown): Promise<unknown> {
  return await page.evaluate(
    async ({ kind, options }) => {
      // In the page: the browser's WebAuthn API (no DOM types in this Node project).
      interface WebAuthnCredential {
        toJSON(): unknown;
      }
      const page = globalThis as unknown as {
        PublicKeyCredential: {
          parseCreationOptionsFromJSON(json: unknown): unknown;
          parseRequestOptionsFromJSON(json: unknown): unknown;
        };
        navigator: {
          credentials: {
            create(options: { publicKey: unknown }): Promise<WebAuthnCredential>;
            get(options: { publicKey: unknown }): Promise<WebAuthnCredential>;
          };
        };
      };
      const { PublicKeyCredential: pkc, navigator } = page;
      const credential =
        kind === "create"
          ? await navigator.credentials.create({ publicKey: pkc.parseCreationOptionsFromJSON(options) })
          : await navigator.credentials.get({ publicKey: pkc.parseRequestOptionsFromJSON(options) });
      return credential.toJSON();
    },
    { kind, options },
  );
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isMargError(error) ? error.code : undefined;
}

describe("passkeys in Chromium's virtual authenticator", () => {
  const dir = createTempDir("passkeys");
  let db: Kysely<AuthDatabase>;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let origins: { flow: string; links: string; evil: string };
  let passkeys: PasskeyService;
  let userId = 0;

  beforeAll(async () => {
    db = new Kysely<AuthDatabase>({
      dialect: new SqliteDialect({ database: new SQLite(path.join(dir.path, "marg-rbac.sqlite")) }),
    });
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => ({ ...authMigrations.migrations }) },
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
    const users = new UserRepository(db, {
      hasher: new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS }),
    });
    userId = (
      await users.create({ email: "ada@example.com", name: "Ada", password: "a long enough passphrase" })
    ).id;

    server = createServer((_request, response) => {
      response.setHeader("content-type", "text/html");
      response.end("<!doctype html><title>MARG</title>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    origins = {
      flow: `http://flow.marg.test:${port}`,
      links: `http://links.marg.test:${port}`,
      evil: `http://evil.marg.test:${port}`,
    };
    passkeys = new PasskeyService({
      db,
      relyingParty: { id: "marg.test", name: "MARG", origins: [origins.flow, origins.links] },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_BIN,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        "--host-resolver-rules=MAP *.marg.test 127.0.0.1",
        `--unsafely-treat-insecure-origin-as-secure=${Object.values(origins).join(",")}`,
      ],
    });
    page = await browser.newPage();
    // A platform authenticator with user verification, answering without a touch.
    await addVirtualAuthenticator(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await db?.destroy();
    dir.remove();
  });

  it("registers on flow, then signs in password-less on links with the same passkey", async () => {
    await page.goto(`${origins.flow}/`);
    const creation = await passkeys.registrationOptions({
      id: userId,
      email: "ada@example.com",
      name: "Ada",
    });
    expect(creation.rp.id).toBe("marg.test");
    const registered = await passkeys.register(
      userId,
      await ceremony(page, "create", creation),
      creation.challenge,
      "Laptop",
    );
    expect(registered).toMatchObject({ userId, name: "Laptop" });
    expect(await passkeys.list(userId)).toHaveLength(1);

    await page.goto(`${origins.links}/`);
    const request = await passkeys.authenticationOptions();
    const signedIn = await passkeys.authenticate(await ceremony(page, "get", request), request.challenge);
    expect(signedIn.userId).toBe(userId);
    expect(signedIn.passkey.lastUsedAt).not.toBeNull();
  });

  it("refuses a replayed assertion, another challenge, and a foreign origin", async () => {
    await page.goto(`${origins.flow}/`);
    const request = await passkeys.authenticationOptions(userId);
    const assertion = await ceremony(page, "get", request);
    await passkeys.authenticate(assertion, request.challenge, userId);
    // The same signed answer again: the authenticator's counter did not move on.
    expect(await codeOf(passkeys.authenticate(assertion, request.challenge, userId))).toBe(
      "E_AUTH_PASSKEY_INVALID",
    );

    const fresh = await passkeys.authenticationOptions(userId);
    const answer = await ceremony(page, "get", fresh);
    const other = await passkeys.authenticationOptions(userId);
    expect(await codeOf(passkeys.authenticate(answer, other.challenge, userId))).toBe(
      "E_AUTH_PASSKEY_INVALID",
    );
    expect(await codeOf(passkeys.authenticate(answer, fresh.challenge, userId + 1))).toBe(
      "E_AUTH_PASSKEY_INVALID",
    );

    await page.goto(`${origins.evil}/`);
    const foreign = await passkeys.authenticationOptions();
    const phished = await ceremony(page, "get", foreign);
    expect(await codeOf(passkeys.authenticate(phished, foreign.challenge))).toBe("E_AUTH_PASSKEY_INVALID");
  });

  it("answers junk from a browser with a typed error, never a crash", async () => {
    for (const junk of [
      null,
      {},
      { id: "" },
      { id: "x".repeat(300) },
      { id: "abc", response: "nope" },
      "string",
    ]) {
      expect(await codeOf(passkeys.authenticate(junk, "challenge")), JSON.stringify(junk)).toBe(
        "E_AUTH_PASSKEY_INVALID",
      );
    }
    expect(await codeOf(passkeys.register(userId, { id: "abc" }, "challenge", "x"))).toBe(
      "E_AUTH_PASSKEY_INVALID",
    );
  });

  it("removes a passkey only for its owner", async () => {
    const [first] = await passkeys.list(userId);
    expect(first).toBeDefined();
    expect(await passkeys.remove(userId + 1, first?.id ?? 0)).toBe(false);
    expect(await passkeys.remove(userId, first?.id ?? 0)).toBe(true);
    expect(await passkeys.list(userId)).toEqual([]);
  });
});
