import { csrfField, html, type SafeHtml } from "@marg/core/web";
import { AVATAR_LIMIT_TEXT, IMAGE_ACCEPT_ATTRIBUTE } from "../attachments/upload-policy.js";

/** The profile: who you are, your avatar and the form to change it. */
export function profileView(o: {
  csrf: string;
  name: string;
  email: string;
  avatarPath: string | null;
  error?: string | undefined;
}): SafeHtml {
  const avatar =
    o.avatarPath === null
      ? html`<p class="muted">No avatar yet: your initials are shown instead.</p>`
      : html`<img class="avatar-large" src="/avatars/${encodeURIComponent(o.avatarPath)}" alt="Your avatar" width="96" height="96">`;
  return html`<div class="grid-2">
  <section class="card" aria-labelledby="profile-heading">
    <h1 id="profile-heading">${o.name}</h1>
    <p>${o.email}</p>
    <p><a href="/account">Change your name or password</a></p>
  </section>
  <section class="card" aria-labelledby="avatar-heading">
    <h2 id="avatar-heading">Avatar</h2>
    ${avatar}
    <form class="stack" method="post" action="/profile/avatar" enctype="multipart/form-data" novalidate>
      ${csrfField(o.csrf)}
      <div class="field">
        <label for="f-file">New picture</label>
        <span class="hint" id="f-file-hint">${AVATAR_LIMIT_TEXT}</span>
        <input type="file" id="f-file" name="file" accept="${IMAGE_ACCEPT_ATTRIBUTE}" required aria-describedby="f-file-hint${o.error ? " f-file-error" : ""}" ${o.error ? html`aria-invalid="true"` : ""}>
        ${o.error ? html`<span class="error" id="f-file-error">${o.error}</span>` : ""}
      </div>
      <div class="actions"><button type="submit">Upload picture</button></div>
    </form>
  </section>
</div>`;
}
