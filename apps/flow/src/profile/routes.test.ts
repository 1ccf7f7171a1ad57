import { existsSync } from "node:fs";
import path from "node:path";
import type { TestClient } from "@marg/core/testing";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenOf, fetchWith, uploadFile } from "../test-support/api-client.js";
import { type FlowTestApp, startFlowTestApp } from "../test-support/flow-test-app.js";
import { fieldError } from "../test-support/task-fixtures.js";

describe("flow profile and avatar upload", () => {
  let flow: FlowTestApp;
  let linus: TestClient;

  async function uploadAvatar(
    browser: TestClient,
    file: { filename: string; contentType: string; content: Buffer },
  ) {
    return uploadFile(browser, "/profile/avatar", file, { _csrf: await csrfTokenOf(browser) });
  }
  const picture = (color: string) =>
    sharp({ create: { width: 600, height: 300, channels: 3, background: color } })
      .jpeg()
      .toBuffer();

  beforeAll(async () => {
    flow = await startFlowTestApp({ label: "flow-profile" });
    linus = await flow.browser("linus");
  });

  afterAll(async () => {
    await flow?.close();
  });

  it("sends guests to sign in, and shows a signed-in user their profile and the upload form", async () => {
    expect([302, 303]).toContain((await (await flow.browser(null)).get("/profile")).status);
    const page = await linus.get("/profile");
    expect(page.status).toBe(200);
    expect(page.body).toContain("linus@marg.localhost");
    expect(page.body).toContain("No avatar yet");
    expect(page.body).toMatch(
      /action="\/profile\/avatar" enctype="multipart\/form-data" novalidate>\s*<input type="hidden" name="_csrf" value="[^"]+">/,
    );
    expect(page.body).not.toContain("?_csrf=");
  });

  it("keeps the original, makes a 256×256 WebP with image.avatar and shows it everywhere", async () => {
    const response = await uploadAvatar(linus, {
      filename: "me.jpg",
      contentType: "image/jpeg",
      content: await picture("#e67700"),
    });
    expect(response.status).toBe(303);
    const user = await flow.platform.users.findById(flow.userIds.linus);
    const file = user?.avatarPath ?? "";
    expect(file).toMatch(new RegExp(`^${flow.userIds.linus}-[0-9a-f]{32}\\.webp$`));
    expect(
      existsSync(path.join(flow.storagePath, "avatars", "originals", file.replace(".webp", ".jpg"))),
    ).toBe(true);
    const page = await linus.get("/profile");
    expect(page.body).toContain("Your new avatar appears as soon as it is ready.");
    expect(page.body).toContain(`<img class="avatar-large" src="/avatars/${file}" alt="Your avatar"`);
    // The session's snapshot caught up, so the header of every page shows it too.
    expect((await linus.get("/tasks")).body).toContain(`<img class="avatar" src="/avatars/${file}"`);
    const served = await fetchWith(linus, `/avatars/${file}`);
    expect(served.status).toBe(200);
    const meta = await sharp(served.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);
  });

  it("replaces the previous avatar and removes its file", async () => {
    const before = (await flow.platform.users.findById(flow.userIds.linus))?.avatarPath ?? "";
    expect(
      (
        await uploadAvatar(linus, {
          filename: "me2.png",
          contentType: "image/png",
          content: await picture("#2b8a3e"),
        })
      ).status,
    ).toBe(303);
    const after = (await flow.platform.users.findById(flow.userIds.linus))?.avatarPath ?? "";
    expect(after).not.toBe(before);
    expect(existsSync(path.join(flow.storagePath, "avatars", before))).toBe(false);
    expect(existsSync(path.join(flow.storagePath, "avatars", after))).toBe(true);
  });

  it("refuses a file that is not a picture, with the message beside the field (415)", async () => {
    const response = await uploadAvatar(linus, {
      filename: "me.png",
      contentType: "image/png",
      content: Buffer.from("%PDF-1.4 not a picture"),
    });
    expect(response.status).toBe(415);
    expect(fieldError(response.body, "file")).toContain("That file is not a picture we can use.");
  });

  it("refuses an upload without the CSRF token, or with it only in the URL", async () => {
    const file = { filename: "me.jpg", contentType: "image/jpeg", content: await picture("#000") };
    expect((await uploadFile(linus, "/profile/avatar", file)).status).toBe(403);
    const token = encodeURIComponent(await csrfTokenOf(linus));
    expect((await uploadFile(linus, `/profile/avatar?_csrf=${token}`, file)).status).toBe(403);
    expect((await uploadFile(linus, "/profile/avatar", file, { _csrf: "forged" })).status).toBe(403);
  });
});
