import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { createLogCapture, createLogger } from "../logging/index.js";
import { installGracefulShutdown } from "./graceful-shutdown.js";
import { httpTestConfig } from "./test-support/http-test-kit.js";

function setup(closers: Array<{ name: string; close(): unknown }>, apps: ReturnType<typeof Fastify>[] = []) {
  const logs = createLogCapture();
  const logger = createLogger(httpTestConfig(), { destination: logs.destination });
  const exits: number[] = [];
  const shutdown = installGracefulShutdown({
    apps,
    closers,
    timeoutSeconds: 5,
    logger,
    signals: [],
    exit: (code) => exits.push(code),
  });
  return { shutdown, exits, logs };
}

describe("installGracefulShutdown (closers)", () => {
  it("closes the apps first, then runs the closers one after the other, in order, then exits 0", async () => {
    const order: string[] = [];
    const app = Fastify();
    app.addHook("onClose", async () => {
      order.push("app");
    });
    const slowFirst = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push("db");
    };
    const { shutdown, exits } = setup(
      [
        { name: "db", close: slowFirst },
        { name: "redis", close: () => order.push("redis") },
      ],
      [app],
    );
    expect(await shutdown.shutdown("test")).toBe(0);
    expect(order).toEqual(["app", "db", "redis"]);
    expect(exits).toEqual([0]);
  });

  it("still runs the later closers when one fails, logs it, and exits 1", async () => {
    const order: string[] = [];
    const { shutdown, exits, logs } = setup([
      {
        name: "db",
        close: () => {
          throw new Error("pool already closed");
        },
      },
      { name: "redis", close: () => order.push("redis") },
    ]);
    expect(await shutdown.shutdown("test")).toBe(1);
    expect(order).toEqual(["redis"]);
    expect(exits).toEqual([1]);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ level: 50, closer: "db" }));
  });

  it("shuts down once, however often it is asked", async () => {
    let closed = 0;
    const { shutdown, exits } = setup([{ name: "x", close: () => closed++ }]);
    await Promise.all([shutdown.shutdown("a"), shutdown.shutdown("b")]);
    expect(closed).toBe(1);
    expect(exits).toEqual([0]);
  });
});
