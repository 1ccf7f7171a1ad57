import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../test/support/free-port.js";
import { checkAppsHealth } from "./service.js";

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address !== null ? address.port : 0 });
    }),
  );
}

describe("checkAppsHealth", () => {
  const servers: Server[] = [];
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    const json =
      (status: number, body: unknown) => (_req: unknown, res: import("node:http").ServerResponse) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
    const apps = {
      healthy: json(200, {
        status: "healthy",
        database: "connected",
        checks: { database: { status: "connected", ok: true, latencyMs: 2 } },
      }),
      unhealthy: json(503, {
        status: "unhealthy",
        checks: {
          database: { status: "connected", ok: true, latencyMs: 1 },
          redis: { status: "disconnected", ok: false, latencyMs: 800, error: "connect ECONNREFUSED" },
        },
      }),
      garbage: (_req: unknown, res: import("node:http").ServerResponse) => res.end("<html>hello</html>"),
      // Accepts the request and never answers: a hung app.
      hanging: () => {},
    };
    for (const [name, handler] of Object.entries(apps)) {
      const { server, port } = await listen(handler);
      servers.push(server);
      ports[name] = port;
    }
    ports.down = await freePort();
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reports each app's status and every check it ran", async () => {
    const [healthy, unhealthy] = await checkAppsHealth([
      { id: "flow", title: "Flow", url: `http://127.0.0.1:${ports.healthy}` },
      { id: "links", title: "Links", url: `http://127.0.0.1:${ports.unhealthy}` },
    ]);
    expect(healthy).toMatchObject({
      id: "flow",
      status: "healthy",
      httpStatus: 200,
      checks: [{ name: "database", status: "connected", ok: true, latencyMs: 2, error: null }],
    });
    expect(unhealthy).toMatchObject({ status: "unhealthy", httpStatus: 503 });
    expect(unhealthy?.checks.find((check) => check.name === "redis")).toMatchObject({
      ok: false,
      error: "connect ECONNREFUSED",
    });
  });

  it("turns a dead app, a hung app and a non-report into rows that say so", async () => {
    const results = await checkAppsHealth(
      [
        { id: "down", title: "Down", url: `http://127.0.0.1:${ports.down}` },
        { id: "hung", title: "Hung", url: `http://127.0.0.1:${ports.hanging}` },
        { id: "odd", title: "Odd", url: `http://127.0.0.1:${ports.garbage}` },
      ],
      { timeoutMs: 300 },
    );
    expect(results.map((app) => app.status)).toEqual(["unreachable", "timeout", "invalid"]);
    expect(results[0]?.error).toContain("ECONNREFUSED");
    expect(results[1]?.error).toBe("no answer within 300 ms");
  });

  it("reaches apps named *.localhost on loopback, as on the laptop", async () => {
    const [app] = await checkAppsHealth([
      { id: "flow", title: "Flow", url: `http://flow.marg.localhost:${ports.healthy}` },
    ]);
    expect(app?.status).toBe("healthy");
  });
});
