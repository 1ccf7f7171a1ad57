import { describe, expect, it } from "vitest";
import { generateAppKey, loadConfig, Secret } from "../config/index.js";
import { createTempDir } from "../testing/index.js";
import { createLogger } from "./create-logger.js";
import { createLogCapture } from "./log-capture.js";

function configWith(env: Record<string, string> = {}) {
  const dir = createTempDir("logger");
  try {
    return loadConfig({ root: dir.path, env: { APP_KEY: generateAppKey(), ...env }, app: "flow" });
  } finally {
    dir.remove();
  }
}

describe("createLogger", () => {
  it("writes JSON lines at the configured level, tagged with the app", () => {
    const capture = createLogCapture();
    const logger = createLogger(configWith({ LOG_LEVEL: "warn" }), { destination: capture.destination });
    logger.info("not shown");
    logger.warn({ queue: "mail" }, "backlog growing");
    expect(capture.lines()).toEqual([
      expect.objectContaining({ level: 40, app: "flow", queue: "mail", msg: "backlog growing" }),
    ]);
  });

  it("redacts cookie, authorization and set-cookie headers", () => {
    const capture = createLogCapture();
    const logger = createLogger(configWith(), { destination: capture.destination });
    logger.info({
      req: { headers: { cookie: "marg_session=abc123", authorization: "Bearer tok-1", host: "flow" } },
      res: { headers: { "set-cookie": "marg_session=def456" } },
    });
    const text = capture.text();
    expect(text).not.toMatch(/abc123|tok-1|def456/);
    expect(capture.lines()[0]).toMatchObject({ req: { headers: { cookie: "[redacted]", host: "flow" } } });
  });

  it("redacts password, token and secret fields at any depth MARG logs", () => {
    const capture = createLogCapture();
    const logger = createLogger(configWith(), { destination: capture.destination });
    logger.info({
      password: "p-top",
      user: { email: "a@b.c", password: "p-1" },
      body: { form: { token: "t-2", secret: "s-2" } },
      list: [{ password: "p-arr" }],
      key: new Secret("k-secret"),
    });
    expect(capture.text()).not.toMatch(/p-top|p-1|t-2|s-2|p-arr|k-secret/);
    expect(capture.lines()[0]).toMatchObject({ user: { email: "a@b.c", password: "[redacted]" } });
  });
});
