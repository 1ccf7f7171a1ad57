import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { generateAppKey, loadConfig, Secret } from "../config/index.js";
import { createTempDir } from "../testing/index.js";
import { createLogger } from "./create-logger.js";
import { createLogCapture } from "./log-capture.js";
import { redactLogLine } from "./redaction.js";

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

  it("redacts what the error serializer writes: the error's own fields and its cause's", () => {
    const capture = createLogCapture();
    const logger = createLogger(configWith(), { destination: capture.destination });
    const cause = Object.assign(new Error("upstream refused"), { password: "p-cause" });
    const error = Object.assign(new Error("sign-in failed", { cause }), { token: "t-err" });
    logger.error({ err: error }, "request failed");
    expect(capture.text()).not.toMatch(/p-cause|t-err/);
    expect(capture.lines()[0]).toMatchObject({ err: { type: "Error", token: "[redacted]" } });
  });

  it("redacts credential headers and fields however deep they are logged", () => {
    const capture = createLogCapture();
    const logger = createLogger(configWith(), { destination: capture.destination });
    logger.child({ upstream: { headers: { "x-api-key": "k-child" } } }).warn({
      a: { b: { c: { d: { e: { secret: "s-deep" } } } } },
      headers: { "set-cookie": ["a=1", "b=2"], "proxy-authorization": "Basic p-proxy" },
    });
    expect(capture.text()).not.toMatch(/k-child|s-deep|a=1|p-proxy/);
    expect(capture.lines()[0]).toMatchObject({ a: { b: { c: { d: { e: { secret: "[redacted]" } } } } } });
  });

  it("writes a line with nothing to redact exactly as pino made it", () => {
    const capture = createLogCapture();
    const logger = createLogger(configWith(), { destination: capture.destination });
    const fields = { req: { method: "GET", url: "/login?next=%2F", remotePort: 5555 }, note: 'say "hi"' };
    logger.info(fields, "incoming request");
    const plain = createLogCapture();
    pino({ base: { app: "flow" }, timestamp: false }, plain.destination).info(fields, "incoming request");
    expect(capture.text().replace(/,"time":\d+/, "")).toBe(plain.text());
  });
});

describe("redactLogLine", () => {
  it("withholds a line it cannot parse instead of writing it unchecked", () => {
    const line = redactLogLine('{"password":"p-broken"\n');
    expect(line).not.toContain("p-broken");
    expect(JSON.parse(line)).toMatchObject({ level: 50, msg: expect.stringContaining("withheld") });
  });

  it("leaves a value that only mentions a sensitive name alone", () => {
    const line = `${JSON.stringify({ msg: 'the "password": field is required' })}\n`;
    expect(JSON.parse(redactLogLine(line))).toEqual({ msg: 'the "password": field is required' });
  });
});
