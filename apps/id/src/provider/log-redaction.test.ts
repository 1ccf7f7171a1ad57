import { generateAppKey, loadConfig } from "@marg/core/config";
import { createLogCapture, createLogger } from "@marg/core/logging";
import { createTempDir } from "@marg/core/testing";
import { describe, expect, it } from "vitest";

const SECRETS = {
  code: "SplxlOBeZQQYbYS6WxSbIA",
  code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
  client_secret: "marg_ocs_0123456789abcdefghijABCDEFGHIJ0123456789",
  id_token_hint: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl",
  refresh_token: "tGzv3JOkF0XG5Qx2TlKWIA",
  access_token: "2YotnFZFEjr1zCsicMWpAA",
};

describe("what the id app's URLs leave in the logs", () => {
  it("never a code, verifier, secret or token from an OAuth URL, wherever the URL is logged", () => {
    const capture = createLogCapture();
    const dir = createTempDir("id-log-redaction");
    const config = loadConfig({
      app: "id",
      root: dir.path,
      env: { APP_KEY: generateAppKey(), LOG_LEVEL: "info" },
    });
    dir.remove();
    const logger = createLogger(config, { destination: capture.destination });
    const query = new URLSearchParams({ ...SECRETS, state: "xyz", client_id: "grafana" }).toString();
    logger.info({ req: { method: "GET", url: `/session/end?${query}` } }, "request completed");
    logger.info({ location: `https://rp.example/callback?${query}` }, "redirect");
    const text = capture.text();
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(text, name).not.toContain(value);
      expect(text).toContain(`${name}=[redacted]`);
    }
    expect(text).toContain("client_id=grafana");
  });
});
