import { writeFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "@marg/core/config";
import { createTempDir } from "@marg/core/testing";
import { parse } from "dotenv";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLES, renderExample } from "../testing/example-fleets.js";
import { envSharedContent } from "./env-shared-renderer.js";

const temp = createTempDir("deploy-env");
afterAll(() => temp.remove());

/** Writes a rendered .env.shared and loads it as the apps do, with nothing from the environment. */
function load(content: string, label: string) {
  const file = path.join(temp.path, `${label}.env.shared`);
  writeFileSync(file, content, { mode: 0o600 });
  return loadConfig({ root: temp.path, sharedFile: file, env: {} });
}

describe("the rendered .env.shared", () => {
  for (const name of EXAMPLES) {
    it(`loads with loadConfig for ${name}`, () => {
      const rendered = renderExample(name);
      const config = load(rendered.content(`${rendered.fleet.https[0]?.name}/srv/marg/.env.shared`), name);
      expect(config.app.env).toBe(name === "phase1-laptop" ? "local" : "production");
      expect(config.session.driver).toBe("redis");
      expect(config.cache.store).toBe("redis");
      expect(config.queue.connection).toBe("redis");
      expect(config.db.connections.rbac.database).toBe("marg-rbac");
    });
  }

  it("says REGISTRATION_ENABLED=false in so many words, so strangers make no accounts on a fleet", () => {
    for (const name of EXAMPLES) {
      const rendered = renderExample(name);
      const file = `${rendered.fleet.https[0]?.name}/srv/marg/.env.shared`;
      expect(parse(rendered.content(file)).REGISTRATION_ENABLED, name).toBe("false");
      expect(load(rendered.content(file), `${name}-registration`).auth.registrationEnabled).toBe(false);
    }
  });

  it("carries the fleet's generated secrets: a 32-byte APP_KEY and URL-safe passwords", () => {
    const rendered = renderExample("phase2-four-servers");
    const env = parse(rendered.content("http-1/srv/marg/.env.shared"));
    expect(Buffer.from((env.APP_KEY ?? "").replace(/^base64:/, ""), "base64")).toHaveLength(32);
    for (const name of ["REDIS_PASSWORD", "CACHE_REDIS_PASSWORD", "DB_PASSWORD", "RBAC_DB_PASSWORD"]) {
      expect(env[name]).toMatch(/^[A-Za-z0-9]{32}$/);
    }
    expect(encodeURIComponent(env.DB_PASSWORD ?? "")).toBe(env.DB_PASSWORD);
    const config = load(rendered.content("http-1/srv/marg/.env.shared"), "secrets");
    expect(config.redis.password?.reveal()).toBe(rendered.secrets.REDIS_PASSWORD);
    expect(config.cache.redis).toMatchObject({ host: "192.168.1.50", port: 6380 });
    expect(config.db.connections.app).toMatchObject({ host: "192.168.1.51", user: "marg_app" });
  });

  it("names the sentinels and read replicas in phase 4", () => {
    const rendered = renderExample("phase4-ha");
    const config = load(rendered.content("worker-3/srv/marg/.env.shared"), "phase4");
    expect(config.redis.sentinels).toEqual([
      { host: "192.168.1.50", port: 26379 },
      { host: "192.168.1.55", port: 26379 },
      { host: "192.168.1.56", port: 26379 },
    ]);
    expect(config.redis.sentinelService).toBe("marg-redis");
    expect(config.redis.sentinelPassword?.reveal()).toBe(rendered.secrets.REDIS_SENTINEL_PASSWORD);
    expect(config.db.connections.app.readHosts).toEqual([
      { host: "192.168.1.61", port: 3306 },
      { host: "192.168.1.62", port: 3306 },
    ]);
  });

  it("is the same on every server and written 600 for the marg user", () => {
    const rendered = renderExample("phase3-horizontal");
    const copies = rendered.files.filter((file) => file.path.endsWith("/srv/marg/.env.shared"));
    expect(copies.map((file) => file.path.split("/")[0])).toEqual([
      "http-1",
      "http-2",
      "http-3",
      "worker-1",
      "worker-2",
      "worker-3",
    ]);
    expect(new Set(copies.map((file) => file.content)).size).toBe(1);
    for (const copy of copies) expect(copy).toMatchObject({ mode: 0o600, owner: "marg:marg" });
  });

  it("gives each app an https APP_URL once TLS is on", () => {
    const rendered = renderExample("phase3-horizontal");
    expect(rendered.content("http-2/srv/marg/apps/links/.env")).toContain("APP_URL=https://links.marg.test");
    const config = loadConfig({
      app: "links",
      root: temp.path,
      sharedFile: path.join(temp.path, "phase4.env.shared"),
      env: { APP_URL: "https://links.marg.test" },
    });
    expect(config.session.secure).toBe(true);
  });

  it("sends production mail over SMTP as the inventory's mail: says, the password from the fleet's secrets", () => {
    const rendered = renderExample("phase2-four-servers", (inventory) => {
      inventory.mail = {
        mailer: "smtp",
        host: "smtp.provider.test",
        port: 465,
        encryption: "tls",
        username: "marg@provider.test",
        fromName: "MARG team",
      };
    });
    const secrets = { ...rendered.secrets, MAIL_PASSWORD: "p4ss word'with\"quotes" };
    const content = envSharedContent(rendered.fleet, secrets);
    const config = load(content, "smtp");
    expect(config.mail).toMatchObject({
      mailer: "smtp",
      host: "smtp.provider.test",
      port: 465,
      encryption: "tls",
      username: "marg@provider.test",
      from: { address: "noreply@marg.test", name: "MARG team" },
    });
    expect(config.mail.password?.reveal()).toBe(secrets.MAIL_PASSWORD);
    // The example phases send through their relay: no login, no password line.
    const example = renderExample("phase2-four-servers").content("worker-1/srv/marg/.env.shared");
    const relay = load(example, "relay");
    expect(relay.mail).toMatchObject({
      mailer: "smtp",
      host: "smtp.marg.test",
      port: 587,
      encryption: "starttls",
    });
    expect(example).not.toContain("MAIL_PASSWORD");
  });

  it("keeps mail as .eml files only where the inventory asks for it (the laptop has no mail: section)", () => {
    const laptop = renderExample("phase1-laptop");
    const config = load(laptop.content(`${laptop.fleet.https[0]?.name}/srv/marg/.env.shared`), "laptop");
    expect(config.mail.mailer).toBe("log");
    const logged = renderExample("phase2-four-servers", (inventory) => {
      inventory.mail = { mailer: "log", port: 587, encryption: "starttls" };
    });
    expect(load(logged.content("http-1/srv/marg/.env.shared"), "log").mail.mailer).toBe("log");
  });

  it("takes the inventory's env entries over its defaults", () => {
    const rendered = renderExample("phase2-four-servers", (inventory) => {
      inventory.env = { SESSION_LIFETIME: 60, MAIL_FROM_NAME: "MARG team" };
    });
    const content = rendered.content("http-1/srv/marg/.env.shared");
    expect(content.match(/^SESSION_LIFETIME=/gm)).toHaveLength(1);
    const config = load(content, "extras");
    expect(config.session.lifetimeMinutes).toBe(60);
    expect(config.mail.from.name).toBe("MARG team");
  });
});
