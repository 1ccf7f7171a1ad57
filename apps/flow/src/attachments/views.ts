import { csrfField, html, type SafeHtml } from "@marg/core/web";
import type { Person } from "../people/repository.js";
import { sizeText, timeView } from "../shared/format.js";
import type { Attachment } from "./types.js";
import { ACCEPT_ATTRIBUTE, ATTACHMENT_LIMIT_TEXT } from "./upload-policy.js";

function preview(attachment: Attachment, base: string): SafeHtml | string {
  if (attachment.previewState === "ready") {
    return html`<a href="${base}/${attachment.id}"><img src="${base}/${attachment.id}/preview" alt="Preview of ${attachment.originalName}" class="preview-thumb" width="96" height="96" loading="lazy"></a>`;
  }
  if (attachment.previewState === "pending") return html`<span class="muted">Preview on its way…</span>`;
  if (attachment.previewState === "failed") return html`<span class="muted">No preview</span>`;
  return "";
}

/** The task's files: download links, previews, the upload form and remove buttons, as the user may. */
export function attachmentListView(o: {
  taskId: number;
  attachments: readonly Attachment[];
  people: ReadonlyMap<number, Person>;
  csrf: string;
  canUpload: boolean;
  canRemove: boolean;
  error?: string | undefined;
}): SafeHtml {
  const base = `/tasks/${o.taskId}/attachments`;
  const list =
    o.attachments.length === 0
      ? html`<p class="muted">No files attached.</p>`
      : html`<div class="table-scroll"><table class="list">
  <thead><tr><th scope="col">File</th><th scope="col">Preview</th><th scope="col">Size</th><th scope="col">Added</th>${
    o.canRemove ? html`<th scope="col"><span class="muted">Actions</span></th>` : ""
  }</tr></thead>
  <tbody>${o.attachments.map(
    (attachment) => html`<tr>
    <td><a href="${base}/${attachment.id}" download>${attachment.originalName}</a><br><span class="muted">${attachment.contentType}</span></td>
    <td>${preview(attachment, base)}</td>
    <td>${sizeText(attachment.sizeBytes)}</td>
    <td>${o.people.get(attachment.userId)?.name ?? `User ${attachment.userId}`}<br><span class="muted">${timeView(attachment.createdAt)}</span></td>
    ${
      o.canRemove
        ? html`<td><form class="inline" method="post" action="${base}/${attachment.id}/delete">${csrfField(o.csrf)}<button class="secondary" type="submit" aria-label="Remove ${attachment.originalName}">Remove</button></form></td>`
        : ""
    }
  </tr>`,
  )}</tbody>
</table></div>`;
  // The token is a field before the file: the server checks it before reading the file.
  const form = o.canUpload
    ? html`<form class="stack" method="post" action="${base}" enctype="multipart/form-data" novalidate>
  ${csrfField(o.csrf)}
  <div class="field">
    <label for="f-file">Attach a file</label>
    <span class="hint" id="f-file-hint">${ATTACHMENT_LIMIT_TEXT}</span>
    <input type="file" id="f-file" name="file" accept="${ACCEPT_ATTRIBUTE}" required aria-describedby="f-file-hint${o.error ? " f-file-error" : ""}" ${o.error ? html`aria-invalid="true"` : ""}>
    ${o.error ? html`<span class="error" id="f-file-error">${o.error}</span>` : ""}
  </div>
  <div class="actions"><button type="submit">Upload</button></div>
</form>`
    : "";
  return html`<section class="card" aria-labelledby="attachments-heading">
  <h2 id="attachments-heading">Attachments</h2>
  ${list}
  ${form}
</section>`;
}
