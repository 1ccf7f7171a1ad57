import path from "node:path";
import { DEMO_PASSWORD } from "@marg/core/auth";
import { generateAppKey } from "@marg/core/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../../../../test/support/form-browser.js";
import { freePort } from "../../../../test/support/free-port.js";
import { firstLinkIn, readMailBox } from "../../../../test/support/mail-box.js";
import { createMargInstallation } from "../../../../test/support/marg-installation.js";
import type { RunningProcess } from "../../../../test/support/spawn-process.js";

// `marg serve flow` as a real process with QUEUE_CONNECTION=sync and no worker
// anywhere: what a job does (core's mail.send, flow's report.generate) has
// happened by the time the request that dispatched it has been answered.

describe("marg serve with QUEUE_CONNECTION=sync", () => {
  const installation = createMargInstallation("serve-sync");
  const mailDir = path.join(installation.root, "storage", "mail");
  let server: RunningProcess | undefined;
  let flow: FormBrowser;

  beforeAll(async () => {
    const port = await freePort();
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,links",
      QUEUE_CONNECTION: "sync",
      MAIL_MAILER: "log",
      LOG_LEVEL: "warn",
    });
    installation.writeAppEnv("flow", { APP_URL: `http://flow.marg.localhost:${port}` });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    server = await installation.serve("flow", port);
    flow = new FormBrowser({ host: "flow.marg.localhost", port });
  }, 120_000);

  afterAll(async () => {
    await server?.stop(5_000);
    installation.remove();
  });

  it("starts and runs the password-reset mail job inside the request that dispatched it", async () => {
    const response = await flow.submit("/forgot-password", "/forgot-password", {
      email: "ada@marg.localhost",
    });
    expect(response.status).toBe(200);
    // No waiting: the mail was written before the response left.
    const mails = readMailBox(mailDir).filter((mail) => mail.subject === "Reset your MARG password");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toContain("ada@marg.localhost");
    expect(firstLinkIn(mails[0]?.text ?? "")?.pathname).toBe("/reset-password");
  });

  it("runs an app's own job (flow's report.generate) inline too", async () => {
    const linus = flow.clone();
    const signIn = await linus.submit("/login", "/login", {
      email: "linus@marg.localhost",
      password: DEMO_PASSWORD,
    });
    expect(signIn.status).toBe(303);
    const today = new Date().toISOString().slice(0, 10);
    const requested = await linus.submit("/reports", "/reports", { from: today, to: today });
    expect(requested.status).toBe(303);
    const page = await linus.get("/reports");
    expect(page.body).toContain('<span class="badge badge-ok">Ready</span>');
    const mail = readMailBox(mailDir).find((m) => m.subject === "Your task export is ready");
    expect(mail?.to).toContain("linus@marg.localhost");
  });
});
