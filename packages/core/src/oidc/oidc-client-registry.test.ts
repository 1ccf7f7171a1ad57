import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, createManualClock, DIALECTS } from "../auth/auth-test-support.js";
import { isMargError } from "../errors/marg-error.js";
import { OIDC_ERRORS } from "./errors.js";
import { createOidcClientRegistry } from "./oidc-client-registry.js";
import { hashClientSecret } from "./oidc-client-secret.js";
import type { NewOidcClient, OidcClientRegistry } from "./oidc-client-types.js";
import { type OidcTestDatabase, openOidcTestDatabase } from "./oidc-test-support.js";

const GRAFANA: NewOidcClient = {
  clientId: "grafana",
  name: "Grafana",
  redirectUris: ["https://grafana.example.com/login/generic_oauth"],
  postLogoutRedirectUris: ["https://grafana.example.com/login"],
  backchannelLogoutUri: "https://grafana.example.com/backchannel",
  firstParty: true,
  appScope: "flow",
};

/** The field errors a rejected create carries, to show beside a form's inputs. */
async function fieldsOf(promise: Promise<unknown>): Promise<Record<string, string> | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isMargError(error) ? (error.details?.fields as Record<string, string>) : undefined;
}

describe("OIDC client errors", () => {
  it("answer a 4xx each, never 500", () => {
    for (const [code, info] of Object.entries(OIDC_ERRORS)) {
      expect(info.status, code).toBeGreaterThanOrEqual(400);
      expect(info.status, code).toBeLessThan(500);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`OIDC client registry on ${dialect}`, () => {
    let database: OidcTestDatabase;
    let clients: OidcClientRegistry;
    const clock = createManualClock();

    beforeAll(async () => {
      database = await openOidcTestDatabase(dialect, "oidc-clients");
      clients = createOidcClientRegistry(database.db, { production: true, clock });
    });
    afterAll(() => database.close());

    it("creates a confidential client whose secret is shown once and stored only as its SHA-256", async () => {
      const { client, secret } = await clients.create({
        ...GRAFANA,
        clientId: " grafana ",
        name: " Grafana ",
      });
      expect(secret).toMatch(/^marg_ocs_[0-9A-Za-z]{40,}$/);
      expect(client).toEqual({
        clientId: "grafana",
        name: "Grafana",
        type: "confidential",
        redirectUris: ["https://grafana.example.com/login/generic_oauth"],
        postLogoutRedirectUris: ["https://grafana.example.com/login"],
        backchannelLogoutUri: "https://grafana.example.com/backchannel",
        firstParty: true,
        appScope: "flow",
        createdAt: new Date(clock()),
        secretRotatedAt: null,
      });
      expect(await clients.find("grafana")).toEqual(client);
      const row = await database.db
        .selectFrom("oidc_clients")
        .selectAll()
        .where("client_id", "=", "grafana")
        .executeTakeFirstOrThrow();
      expect(row.secret_hash).toBe(hashClientSecret(secret ?? ""));
      expect(JSON.stringify(row)).not.toContain(secret);
    });

    it("verifies the secret, and nothing else: another secret, another client, an unknown id", async () => {
      const { secret } = await clients.create({ ...GRAFANA, clientId: "wiki", name: "Wiki" });
      const other = await clients.create({ ...GRAFANA, clientId: "chat", name: "Chat" });
      expect(await clients.verifySecret("wiki", secret ?? "")).toBe(true);
      expect(await clients.verifySecret("wiki", other.secret ?? "")).toBe(false);
      expect(await clients.verifySecret("wiki", `${secret}x`)).toBe(false);
      expect(await clients.verifySecret("wiki", "")).toBe(false);
      expect(await clients.verifySecret("nobody", secret ?? "")).toBe(false);
      expect(await clients.verifySecret("NOT A SLUG", secret ?? "")).toBe(false);
    });

    it("rotates a secret: the new one works once returned, the old one stops", async () => {
      const { secret: old } = await clients.create({ ...GRAFANA, clientId: "rotating", name: "Rotating" });
      clock.advance(60_000);
      const fresh = await clients.rotateSecret("rotating");
      expect(fresh).not.toBe(old);
      expect(await clients.verifySecret("rotating", fresh)).toBe(true);
      expect(await clients.verifySecret("rotating", old ?? "")).toBe(false);
      expect((await clients.find("rotating"))?.secretRotatedAt).toEqual(new Date(clock()));
      expect(await codeOf(clients.rotateSecret("nobody"))).toBe("E_OIDC_CLIENT_UNKNOWN");
    });

    it("registers a public client without a secret: no secret verifies, none can be rotated", async () => {
      const { client, secret } = await clients.create({
        clientId: "spa",
        name: "Single-page app",
        type: "public",
        redirectUris: ["https://spa.example.com/callback"],
      });
      expect(secret).toBeNull();
      expect(client).toMatchObject({
        type: "public",
        firstParty: false,
        appScope: null,
        backchannelLogoutUri: null,
      });
      expect(await clients.verifySecret("spa", "")).toBe(false);
      expect(await clients.verifySecret("spa", "marg_ocs_anything")).toBe(false);
      expect(await codeOf(clients.rotateSecret("spa"))).toBe("E_OIDC_CLIENT_PUBLIC");
    });

    it("refuses a second client with the same id", async () => {
      await clients.create({ ...GRAFANA, clientId: "twice" });
      expect(await codeOf(clients.create({ ...GRAFANA, clientId: "twice" }))).toBe("E_OIDC_CLIENT_EXISTS");
      expect(await fieldsOf(clients.create({ ...GRAFANA, clientId: "twice" }))).toHaveProperty("clientId");
    });

    it("lists clients by id and deletes them; a deleted client's secret stops working", async () => {
      const { secret } = await clients.create({ ...GRAFANA, clientId: "doomed" });
      const ids = (await clients.list()).map((c) => c.clientId);
      expect(ids).toEqual([...ids].sort());
      expect(ids).toContain("doomed");
      expect(await clients.delete("doomed")).toBe(true);
      expect(await clients.delete("doomed")).toBe(false);
      expect(await clients.find("doomed")).toBeNull();
      expect(await clients.verifySecret("doomed", secret ?? "")).toBe(false);
    });

    it("stores redirect URIs exactly as given (trimmed), for exact matching", async () => {
      const uris = [
        "https://app.example.com/cb?tenant=A",
        "https://app.example.com/cb/",
        "https://APP.example.com:8443/Cb",
      ];
      const { client } = await clients.create({
        ...GRAFANA,
        clientId: "exact",
        redirectUris: [...uris, ` ${uris[0]} `],
      });
      expect(client.redirectUris).toEqual(uris);
      expect((await clients.find("exact"))?.redirectUris).toEqual(uris);
    });

    it.each([
      ["a client id that is not a slug", { clientId: "Graf ana" }, "E_OIDC_CLIENT_ID_INVALID", "clientId"],
      ["a client id of 65 characters", { clientId: "a".repeat(65) }, "E_OIDC_CLIENT_ID_INVALID", "clientId"],
      ["an empty name", { name: "  " }, "E_OIDC_CLIENT_NAME_INVALID", "name"],
      ["no redirect URI", { redirectUris: [] }, "E_OIDC_CLIENT_URI_INVALID", "redirectUris"],
      [
        "a relative redirect URI",
        { redirectUris: ["/callback"] },
        "E_OIDC_CLIENT_URI_INVALID",
        "redirectUris",
      ],
      [
        "a redirect URI with a fragment",
        { redirectUris: ["https://a.example.com/cb#x"] },
        "E_OIDC_CLIENT_URI_INVALID",
        "redirectUris",
      ],
      [
        "an http redirect URI in production",
        { redirectUris: ["http://a.example.com/cb"] },
        "E_OIDC_CLIENT_URI_INVALID",
        "redirectUris",
      ],
      [
        "a javascript: redirect URI",
        { redirectUris: ["javascript:alert(1)"] },
        "E_OIDC_CLIENT_URI_INVALID",
        "redirectUris",
      ],
      [
        "a redirect URI with credentials",
        { redirectUris: ["https://u:p@a.example.com/cb"] },
        "E_OIDC_CLIENT_URI_INVALID",
        "redirectUris",
      ],
      [
        "an http post-logout URI",
        { postLogoutRedirectUris: ["http://a.example.com/"] },
        "E_OIDC_CLIENT_URI_INVALID",
        "postLogoutRedirectUris",
      ],
      [
        "an http back-channel URI",
        { backchannelLogoutUri: "http://a.example.com/bc" },
        "E_OIDC_CLIENT_URI_INVALID",
        "backchannelLogoutUri",
      ],
      [
        "an app scope that is not an app id",
        { appScope: "Flow App" },
        "E_OIDC_CLIENT_APP_SCOPE_INVALID",
        "appScope",
      ],
    ] as const)("refuses %s with a typed error naming the field", async (_label, change, code, field) => {
      const attempt = () => clients.create({ ...GRAFANA, clientId: "refused", ...change });
      expect(await codeOf(attempt())).toBe(code);
      expect(await fieldsOf(attempt())).toHaveProperty(field);
      expect(await clients.find("refused")).toBeNull();
    });

    it("names every wrong field at once", async () => {
      const fields = await fieldsOf(
        clients.create({ clientId: "", name: "", redirectUris: ["nope"], appScope: "A B" }),
      );
      expect(Object.keys(fields ?? {}).sort()).toEqual(["appScope", "clientId", "name", "redirectUris"]);
    });

    it("accepts http loopback redirects in production (RFC 8252), and any http outside production", async () => {
      const loopback = ["http://localhost:8400/cb", "http://127.0.0.1:51000/cb", "http://[::1]:51000/cb"];
      const { client } = await clients.create({ ...GRAFANA, clientId: "native", redirectUris: loopback });
      expect(client.redirectUris).toEqual(loopback);
      const dev = createOidcClientRegistry(database.db, { production: false, clock });
      const created = await dev.create({
        ...GRAFANA,
        clientId: "dev-app",
        redirectUris: ["http://app.test:3000/cb"],
      });
      expect(created.client.redirectUris).toEqual(["http://app.test:3000/cb"]);
      expect(
        await codeOf(
          dev.create({ ...GRAFANA, clientId: "dev-frag", redirectUris: ["http://app.test/cb#f"] }),
        ),
      ).toBe("E_OIDC_CLIENT_URI_INVALID");
    });

    it("is closed by default: without options, http redirects are refused", async () => {
      const closed = createOidcClientRegistry(database.db);
      expect(
        await codeOf(
          closed.create({ ...GRAFANA, clientId: "closed", redirectUris: ["http://a.example.com/cb"] }),
        ),
      ).toBe("E_OIDC_CLIENT_URI_INVALID");
    });
  });
}
