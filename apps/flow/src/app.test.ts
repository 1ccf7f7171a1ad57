import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { navLabels, switcherApps } from "../../../test/support/layout-links.js";
import { type FlowTestApp, startFlowTestApp } from "./test-support/flow-test-app.js";

const EVERYTHING = ["Tasks", "Board", "Reports", "Profile", "Feedback"];

describe("flow's navigation: each link only for those its page lets in", () => {
  let t: FlowTestApp;

  beforeAll(async () => {
    t = await startFlowTestApp({ label: "flow-navigation" });
  });
  afterAll(async () => t?.close());

  it("gives members and admins every link, viewers no Feedback, and someone without a role the Profile only", async () => {
    const expected = {
      linus: EVERYTHING,
      grace: EVERYTHING,
      vera: ["Tasks", "Board", "Reports", "Profile"],
      nora: ["Profile"],
    } as const;
    for (const [who, labels] of Object.entries(expected)) {
      const page = await (await t.browser(who as keyof typeof expected)).get("/profile");
      expect(page.status, who).toBe(200);
      expect(navLabels(page.body), who).toEqual(labels);
    }
  });

  it("never shows a link whose page would answer 403, nor hides one that would open", async () => {
    const pages = { Tasks: "/tasks", Board: "/tasks/board", Reports: "/reports", Feedback: "/feedback" };
    for (const who of ["linus", "vera", "nora"] as const) {
      const browser = await t.browser(who);
      const shown = new Set(navLabels((await browser.get("/profile")).body));
      for (const [label, href] of Object.entries(pages)) {
        expect((await browser.get(href)).status === 200, `${who} ${label}`).toBe(shown.has(label));
      }
    }
  });

  it("shows a link once its permission is granted, and drops it once revoked", async () => {
    const nora = await t.browser("nora");
    await t.platform.rbac.grantToUser(t.userIds.nora, "feedback.create");
    await vi.waitFor(
      async () => expect(navLabels((await nora.get("/profile")).body)).toEqual(["Profile", "Feedback"]),
      { timeout: 3000, interval: 100 },
    );
    expect((await nora.get("/feedback")).status).toBe(200);
    await t.platform.rbac.revokeFromUser(t.userIds.nora, "feedback.create");
    await vi.waitFor(async () => expect(navLabels((await nora.get("/profile")).body)).toEqual(["Profile"]), {
      timeout: 3000,
      interval: 100,
    });
  });

  it("keeps guests' pages as they were: the switcher, no navigation", async () => {
    const login = await (await t.browser(null)).get("/login");
    expect(login.status).toBe(200);
    expect(switcherApps(login.body)).toEqual(["Flow"]);
    expect(navLabels(login.body)).toEqual([]);
  });
});
