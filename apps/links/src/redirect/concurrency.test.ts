import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LinksTestApp, startLinksTestApp, TEST_HOST } from "../test-support/links-test-app.js";

const N = 400;

function get(port: number, path: string, agent: Agent, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, agent, headers: { host: TEST_HOST, ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

for (const driver of ["redis", "embedded"] as const) {
  describe(`the redirect under concurrent load (${driver} click counter)`, () => {
    let app: LinksTestApp;
    let slug = "";
    let linkId = 0;

    beforeAll(async () => {
      app = await startLinksTestApp({
        label: `links_load_${driver}`,
        redis: driver === "redis",
        listen: true,
      });
      const link = await app.runtime.service.create(
        { userId: app.userIds.member, seesAll: false },
        { targetUrl: "https://example.com/landing" },
      );
      slug = link.slug;
      linkId = link.id;
    });

    afterAll(async () => {
      await app?.close();
    });

    it(`records exactly ${N} clicks after the flush for ${N} parallel GET /{slug}`, async () => {
      expect(app.runtime.counter.driver).toBe(driver === "redis" ? "redis" : "database");
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      try {
        const responses = await Promise.all(
          Array.from({ length: N }, (_, i) =>
            get(
              app.port,
              `/${slug}`,
              agent,
              i % 4 === 0 ? { referer: "https://news.example.com/story" } : {},
            ),
          ),
        );
        expect(responses.filter((response) => response.status === 302)).toHaveLength(N);
        expect(new Set(responses.map((response) => response.location))).toEqual(
          new Set(["https://example.com/landing"]),
        );
      } finally {
        agent.destroy();
      }
      await app.flush();
      const rows = await app.db
        .selectFrom("link_clicks_daily")
        .select(["referrer_host", "clicks"])
        .where("link_id", "=", linkId)
        .execute();
      const byHost = Object.fromEntries(rows.map((row) => [row.referrer_host, Number(row.clicks)]));
      expect(byHost).toEqual({ "": N - N / 4, "news.example.com": N / 4 });
    });

    it("counts HEAD requests as nothing and still answers them", async () => {
      const agent = new Agent();
      const before = await app.runtime.counter.pending(linkId);
      const response = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: app.port,
            path: `/${slug}`,
            method: "HEAD",
            agent,
            headers: { host: TEST_HOST },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
      agent.destroy();
      expect(response).toBe(302);
      expect(await app.runtime.counter.pending(linkId)).toEqual(before);
    });
  });
}
