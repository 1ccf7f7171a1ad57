import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { TestClient } from "@marg/core/testing";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, csrfTokenOf, fetchWith, uploadFile } from "../test-support/api-client.js";
import { type FlowTestApp, startFlowTestApp } from "../test-support/flow-test-app.js";
import { createTaskViaForm, fieldError } from "../test-support/task-fixtures.js";

describe("flow task attachments", () => {
  let flow: FlowTestApp;
  let linus: TestClient;
  let grace: TestClient;
  let vera: TestClient;
  let taskId: number;
  let png: Buffer;

  async function upload(
    browser: TestClient,
    id: number,
    file: { filename: string; contentType: string; content: Buffer },
  ) {
    const token = await csrfTokenOf(browser);
    return uploadFile(browser, `/tasks/${id}/attachments`, file, { _csrf: token });
  }

  beforeAll(async () => {
    flow = await startFlowTestApp({ label: "flow-attach" });
    [linus, grace, vera] = await Promise.all([
      flow.browser("linus"),
      flow.browser("grace"),
      flow.browser("vera"),
    ]);
    taskId = await createTaskViaForm(linus, { title: "With files", assigneeId: String(flow.userIds.vera) });
    png = await sharp({ create: { width: 800, height: 400, channels: 3, background: "#3b5bdb" } })
      .png()
      .toBuffer();
  });

  afterAll(async () => {
    await flow?.close();
  });

  it("shows the upload form (multipart, CSRF token as a field before the file, never in the URL) to a member", async () => {
    const page = await linus.get(`/tasks/${taskId}`);
    expect(page.body).toMatch(
      new RegExp(
        `action="/tasks/${taskId}/attachments" enctype="multipart/form-data" novalidate>\\s*<input type="hidden" name="_csrf" value="[^"]+">`,
      ),
    );
    expect(page.body).not.toContain("?_csrf=");
    expect(page.body).toContain("No files attached.");
  });

  it("stores an uploaded image under storage/attachments/<task>/, previews it with image.document and serves both", async () => {
    const response = await upload(linus, taskId, {
      filename: "chart.png",
      contentType: "image/png",
      content: png,
    });
    expect(response.status).toBe(303);
    expect(response.location).toBe(`/tasks/${taskId}#attachments-heading`);
    const files = readdirSync(path.join(flow.storagePath, "attachments", String(taskId)));
    expect(files.filter((name) => /^[0-9a-f]{32}$/.test(name))).toHaveLength(1);
    expect(files.filter((name) => name.endsWith(".preview.webp"))).toHaveLength(1);

    const page = await linus.get(`/tasks/${taskId}`);
    expect(page.body).toContain("Attached “chart.png”.");
    const id = new RegExp(`href="/tasks/${taskId}/attachments/(\\d+)" download>chart.png</a>`).exec(
      page.body,
    )?.[1];
    expect(id).toBeDefined();
    expect(page.body).toContain(`src="/tasks/${taskId}/attachments/${id}/preview"`);
    expect(page.body).toMatch(/Linus Member<\/strong> attached <strong>chart.png<\/strong>/);

    const download = await fetchWith(linus, `/tasks/${taskId}/attachments/${id}`);
    expect(download.status).toBe(200);
    expect(download.headers["content-type"]).toBe("image/png");
    expect(download.headers["content-disposition"]).toBe(
      `attachment; filename="chart.png"; filename*=UTF-8''chart.png`,
    );
    expect(download.headers["content-security-policy"]).toContain("sandbox");
    expect(download.bytes.equals(png)).toBe(true);

    const preview = await fetchWith(linus, `/tasks/${taskId}/attachments/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers["content-type"]).toBe("image/webp");
    const meta = await sharp(preview.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 320, 160]);
  });

  it("accepts PDF and plain text (without a preview), typed from their bytes", async () => {
    const pdf = await upload(linus, taskId, {
      filename: "spec.pdf",
      contentType: "application/octet-stream",
      content: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    });
    expect(pdf.status).toBe(303);
    const text = await upload(linus, taskId, {
      filename: "notes.md",
      contentType: "text/markdown",
      content: Buffer.from("# Notes\nÜnïcödé ok\n"),
    });
    expect(text.status).toBe(303);
    const listed = await api(linus, "GET", `/api/v1/tasks/${taskId}/attachments`);
    const byName = Object.fromEntries(
      (listed.json as { data: { name: string; contentType: string; previewState: string }[] }).data.map(
        (a) => [a.name, a],
      ),
    );
    expect(byName["spec.pdf"]).toMatchObject({ contentType: "application/pdf", previewState: "none" });
    expect(byName["notes.md"]).toMatchObject({ contentType: "text/markdown", previewState: "none" });
    expect(byName["chart.png"]).toMatchObject({ contentType: "image/png", previewState: "ready" });
  });

  it("lists an image sharp cannot read without a preview, and keeps it downloadable", async () => {
    const broken = Buffer.concat([png.subarray(0, 16), Buffer.alloc(64, 0x42)]);
    expect(
      (await upload(linus, taskId, { filename: "broken.png", contentType: "image/png", content: broken }))
        .status,
    ).toBe(303);
    const listed = (await api(linus, "GET", `/api/v1/tasks/${taskId}/attachments`)).json as {
      data: { name: string; previewState: string; previewUrl: string | null; downloadUrl: string }[];
    };
    const entry = listed.data.find((a) => a.name === "broken.png");
    expect(entry).toMatchObject({ previewState: "failed", previewUrl: null });
    expect((await fetchWith(linus, `${entry?.downloadUrl}/preview`)).status).toBe(404);
    expect((await fetchWith(linus, entry?.downloadUrl ?? "")).bytes.equals(broken)).toBe(true);
  });

  it("refuses a file of another type whatever its name says, with the message beside the field (415)", async () => {
    const response = await upload(linus, taskId, {
      filename: "innocent.png",
      contentType: "image/png",
      content: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200, 0x90)]),
    });
    expect(response.status).toBe(415);
    expect(fieldError(response.body, "file")).toContain("This type of file cannot be attached.");
    const html = await upload(linus, taskId, {
      filename: "page.html",
      contentType: "text/html",
      content: Buffer.from("<script>alert(1)</script>"),
    });
    expect(html.status).toBe(415);
  });

  it("refuses a file over 10 MB (413) and an empty form (422)", async () => {
    const big = await upload(linus, taskId, {
      filename: "big.txt",
      contentType: "text/plain",
      content: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61),
    });
    expect(big.status).toBe(413);
    expect(fieldError(big.body, "file")).toBe("That file is larger than 10 MB. Attach a smaller one.");
    const none = await upload(linus, taskId, {
      filename: "",
      contentType: "application/octet-stream",
      content: Buffer.alloc(0),
    });
    expect(none.status).toBe(422);
    expect(fieldError(none.body, "file")).toBe("Choose a file to upload.");
    const files = readdirSync(path.join(flow.storagePath, "attachments", String(taskId)));
    expect(files.filter((name) => name.startsWith(".upload-"))).toEqual([]);
  });

  it("refuses an upload without the CSRF token and an upload by a viewer", async () => {
    const noToken = await uploadFile(linus, `/tasks/${taskId}/attachments`, {
      filename: "a.txt",
      contentType: "text/plain",
      content: Buffer.from("a"),
    });
    expect(noToken.status).toBe(403);
    const token = await csrfTokenOf(linus);
    const inUrl = await uploadFile(linus, `/tasks/${taskId}/attachments?_csrf=${encodeURIComponent(token)}`, {
      filename: "a.txt",
      contentType: "text/plain",
      content: Buffer.from("a"),
    });
    expect(inUrl.status).toBe(403);
    const afterFile = await uploadFile(
      linus,
      `/tasks/${taskId}/attachments`,
      { filename: "a.txt", contentType: "text/plain", content: Buffer.from("a") },
      {},
    );
    expect(afterFile.status).toBe(403);
    const viewer = await upload(vera, taskId, {
      filename: "a.txt",
      contentType: "text/plain",
      content: Buffer.from("a"),
    });
    expect(viewer.status).toBe(403);
  });

  it("lets whoever may see the task download, and nobody else", async () => {
    const listed = await api(linus, "GET", `/api/v1/tasks/${taskId}/attachments`);
    const first = (listed.json as { data: { downloadUrl: string }[] }).data[0];
    const url = first?.downloadUrl ?? "";
    expect((await fetchWith(vera, url)).status).toBe(200);
    expect((await fetchWith(grace, url)).status).toBe(200);
    const otherTask = await createTaskViaForm(grace, { title: "Not for Linus" });
    const graceFile = await upload(grace, otherTask, {
      filename: "secret.txt",
      contentType: "text/plain",
      content: Buffer.from("secret"),
    });
    expect(graceFile.status).toBe(303);
    const secret = (
      (await api(grace, "GET", `/api/v1/tasks/${otherTask}/attachments`)).json as {
        data: { downloadUrl: string }[];
      }
    ).data[0];
    expect((await fetchWith(linus, secret?.downloadUrl ?? "")).status).toBe(404);
    const intoHidden = await upload(linus, otherTask, {
      filename: "x.txt",
      contentType: "text/plain",
      content: Buffer.alloc(200_000, 0x61),
    });
    expect(intoHidden.status).toBe(404);
    expect((await fetchWith(await flow.browser("nora"), secret?.downloadUrl ?? "")).status).toBe(403);
    const guest = await fetchWith(await flow.browser(null), secret?.downloadUrl ?? "");
    expect([302, 303]).toContain(guest.status);
    expect(guest.location).toMatch(/^\/login\?next=/);
    expect((await fetchWith(linus, `/tasks/${taskId}/attachments/999999`)).status).toBe(404);
    // An attachment id of another task is not reachable through this one.
    const secretId = secret?.downloadUrl.split("/").pop();
    expect((await fetchWith(grace, `/tasks/${taskId}/attachments/${secretId}`)).status).toBe(404);
  });

  it("lets only users with documents.delete remove a file, which leaves storage", async () => {
    const page = await linus.get(`/tasks/${taskId}`);
    expect(page.body).not.toContain("Remove");
    const listed = (await api(grace, "GET", `/api/v1/tasks/${taskId}/attachments`)).json as {
      data: { id: number; name: string }[];
    };
    const pdf = listed.data.find((a) => a.name === "spec.pdf");
    const removed = await grace.submit(
      `/tasks/${taskId}`,
      `/tasks/${taskId}/attachments/${pdf?.id}/delete`,
      {},
    );
    expect(removed.status).toBe(303);
    const after = await grace.get(`/tasks/${taskId}`);
    expect(after.body).toContain("Removed “spec.pdf”.");
    expect(after.body).toMatch(/removed the attachment <strong>spec.pdf<\/strong>/);
    expect((await api(grace, "GET", `/api/v1/tasks/${taskId}/attachments`)).body).not.toContain("spec.pdf");
  });

  it("removes a deleted task's files from storage", async () => {
    const id = await createTaskViaForm(linus, { title: "Files go too" });
    expect(
      (await upload(linus, id, { filename: "x.txt", contentType: "text/plain", content: Buffer.from("x") }))
        .status,
    ).toBe(303);
    expect(existsSync(path.join(flow.storagePath, "attachments", String(id)))).toBe(true);
    expect((await api(grace, "DELETE", `/api/v1/tasks/${id}`)).status).toBe(204);
    expect(existsSync(path.join(flow.storagePath, "attachments", String(id)))).toBe(false);
  });
});
