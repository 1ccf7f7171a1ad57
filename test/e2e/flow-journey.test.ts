/**
 * flow.marg in a real browser against `marg dev` (a real process on a free port,
 * in a temp MARG_ROOT): sign in → create a task → move it on the board → attach
 * an image and see the worker's preview. Screenshots go to test-artifacts/flow-*.png.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumSession, launchChromium } from "../support/chromium-browser.js";
import { freePort } from "../support/free-port.js";
import { MARG_BIN, REPO_ROOT, type RunningProcess, startProcess } from "../support/spawn-process.js";

describe("flow in the browser: sign in, create, move, attach", () => {
  const root = createTempDir("flow-journey");
  let server: RunningProcess;
  let chromium: ChromiumSession;
  let page: Page;
  let base = "";
  const title = `Journey task <b>${Date.now()}</b>`;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://flow.marg.localhost:${port}`;
    server = startProcess("node", [MARG_BIN, "dev"], {
      cwd: REPO_ROOT,
      env: { MARG_ROOT: root.path, PORT: String(port), LOG_LEVEL: "warn" },
    });
    await server.waitFor(/MARG is running/, 90_000);
    chromium = await launchChromium({ resolveToLoopback: ["*.marg.localhost"] });
    page = await chromium.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    root.remove();
  });

  it("signs in from the task list's redirect and comes back to the seeded tasks", async () => {
    await page.goto(`${base}/tasks`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Email").fill("linus@marg.localhost");
    await page.getByLabel("Password").fill("marg-demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/tasks`);
    await expect(page.getByRole("heading", { name: "Tasks", level: 1 }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("link", { name: "Write the onboarding guide" }).isVisible()).resolves.toBe(
      true,
    );
    await chromium.screenshot(page, "flow-tasks-list");
  });

  it("creates a task through the form, its title shown as text", async () => {
    await page.getByRole("link", { name: "New task" }).click();
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Description").fill("Made by the browser journey.\nSecond line.");
    await page.getByLabel("Priority").selectOption("high");
    await page.getByLabel("Due date").fill("2030-06-30");
    await page.getByLabel("Assignee").selectOption({ label: "Linus Member (linus@marg.localhost)" });
    await page.getByRole("button", { name: "Create task" }).click();
    await page.waitForURL(/\/tasks\/\d+$/);
    await expect(page.getByRole("heading", { name: title, level: 1 }).isVisible()).resolves.toBe(true);
    await expect(page.getByText("Task created.").isVisible()).resolves.toBe(true);
    await chromium.screenshot(page, "flow-task-created");
  });

  it("moves the task on the board with the card's move form", async () => {
    const taskUrl = page.url();
    const id = taskUrl.split("/").pop() ?? "";
    await page.goto(`${base}/tasks/board`);
    const card = page.locator(`#task-${id}`);
    await expect(card.locator("xpath=ancestor::section").getAttribute("aria-labelledby")).resolves.toBe(
      "column-todo",
    );
    await chromium.screenshot(page, "flow-board-before");
    await card.getByRole("button", { name: `Move “${title}” to Doing` }).click();
    await page.waitForURL(/\/tasks\/board/);
    const moved = page.locator(`#task-${id}`);
    await expect(moved.locator("xpath=ancestor::section").getAttribute("aria-labelledby")).resolves.toBe(
      "column-doing",
    );
    await expect(page.getByText(`Moved “${title}” to Doing.`).isVisible()).resolves.toBe(true);
    await chromium.screenshot(page, "flow-board-moved");
    await page.goto(taskUrl);
  });

  it("attaches an image, which the worker previews, and downloads it", async () => {
    const file = path.join(root.path, "diagram.png");
    writeFileSync(
      file,
      await sharp({ create: { width: 640, height: 360, channels: 3, background: "#3b5bdb" } })
        .png()
        .toBuffer(),
    );
    await page.getByLabel("Attach a file").setInputFiles(file);
    await page.getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(/#attachments-heading$/);
    await expect(page.getByText("Attached “diagram.png”.").isVisible()).resolves.toBe(true);
    // The in-process worker of `marg dev` polls every second; reload until its preview is there.
    const preview = page.getByAltText("Preview of diagram.png");
    for (let tries = 0; tries < 30 && !(await preview.isVisible()); tries += 1) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await expect(preview.isVisible()).resolves.toBe(true);
    await expect(
      preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).resolves.toBe(320);
    await chromium.screenshot(page, "flow-task-attachment");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "diagram.png", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("diagram.png");
  });

  it("shows the reports page and the profile in the same look", async () => {
    await page.goto(`${base}/reports`);
    await page.getByRole("button", { name: "Export tasks" }).click();
    await page.waitForURL(`${base}/reports`);
    await chromium.screenshot(page, "flow-reports");
    await page.goto(`${base}/profile`);
    await expect(page.getByRole("heading", { name: "Avatar" }).isVisible()).resolves.toBe(true);
    await chromium.screenshot(page, "flow-profile");
  });

  it("shows every page of the journey without a Content-Security-Policy violation", () => {
    expect(chromium.cspViolations).toEqual([]);
  });
});
