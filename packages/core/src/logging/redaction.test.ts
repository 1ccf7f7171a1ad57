import { describe, expect, it } from "vitest";
import { createLineRedactor, createQueryRedactor, REDACTED } from "./redaction.js";

describe("createQueryRedactor", () => {
  const redact = createQueryRedactor();

  it("replaces the value of token, _csrf, password and signature, keeping the rest of the URL", () => {
    expect(redact("/reset-password?token=abc-123_X")).toBe(`/reset-password?token=${REDACTED}`);
    expect(redact("/tasks/4/attachments?_csrf=Zm9v%2Bbar&x=1")).toBe(
      `/tasks/4/attachments?_csrf=${REDACTED}&x=1`,
    );
    expect(redact("/a?x=1&password=hunter2#top")).toBe(`/a?x=1&password=${REDACTED}#top`);
    expect(redact("/dl?signature=deadbeef&expires=9")).toBe(`/dl?signature=${REDACTED}&expires=9`);
  });

  it("matches parameter names in any case, and every occurrence", () => {
    expect(redact("/a?TOKEN=1&token=2")).toBe(`/a?TOKEN=${REDACTED}&token=${REDACTED}`);
  });

  it("leaves parameters that only end in a sensitive name alone", () => {
    expect(redact("/a?mytoken=1&page=token")).toBe("/a?mytoken=1&page=token");
  });

  it("adds the names LOG_REDACT_PARAMS lists", () => {
    const withExtra = createQueryRedactor(["api_key", " code "]);
    expect(withExtra("/cb?code=xyz&api_key=k&state=s")).toBe(
      `/cb?code=${REDACTED}&api_key=${REDACTED}&state=s`,
    );
  });
});

describe("createLineRedactor", () => {
  const redactLine = createLineRedactor();

  it("redacts a URL inside a JSON log line without breaking the JSON, escaped characters included", () => {
    const line = `${JSON.stringify({ req: { url: '/reset-password?token=a"b\\c&next=/' }, msg: "request completed" })}\n`;
    const redacted = redactLine(line);
    expect(JSON.parse(redacted)).toEqual({
      req: { url: `/reset-password?token=${REDACTED}&next=/` },
      msg: "request completed",
    });
  });

  it("redacts a URL quoted inside a message, as an error line writes it", () => {
    const line = `${JSON.stringify({ msg: "GET /reset-password?token=s3cret failed" })}\n`;
    expect(redactLine(line)).not.toContain("s3cret");
  });

  it("still redacts sensitive fields on the same line", () => {
    const line = `${JSON.stringify({ url: "/x?_csrf=c1", body: { password: "p1" } })}\n`;
    expect(JSON.parse(redactLine(line))).toEqual({
      url: `/x?_csrf=${REDACTED}`,
      body: { password: REDACTED },
    });
  });

  it("redacts OpenID Connect credentials and recovery codes by their field names", () => {
    const body = {
      grant_type: "authorization_code",
      client_id: "grafana",
      client_secret: "marg_ocs_s1",
      code_verifier: "v1",
      refresh_token: "r1",
      access_token: "a1",
      id_token: "i1",
      clientSecret: "marg_ocs_s2",
      recoveryCodes: ["abcde-fghjk"],
    };
    const line = redactLine(`${JSON.stringify({ body })}\n`);
    expect(JSON.parse(line)).toEqual({
      body: {
        grant_type: "authorization_code",
        client_id: "grafana",
        client_secret: REDACTED,
        code_verifier: REDACTED,
        refresh_token: REDACTED,
        access_token: REDACTED,
        id_token: REDACTED,
        clientSecret: REDACTED,
        recoveryCodes: REDACTED,
      },
    });
  });
});
