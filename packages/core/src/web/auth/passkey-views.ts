import type { Passkey } from "../../auth/passkeys/passkey-service.js";
import { csrfField, field } from "../form.js";
import { html, type SafeHtml } from "../html.js";

/** The browser half of both ceremonies: a static file, since the CSP allows no inline script. */
export const PASSKEY_SCRIPT_PATH = "/assets/marg-passkeys.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2 Dec 2026, 14:05 UTC": server-rendered pages cannot know the reader's zone. */
function timeView(epochMs: number): SafeHtml {
  const date = new Date(epochMs);
  const hh = String(date.getUTCHours()).padStart(2, "0");
  const mm = String(date.getUTCMinutes()).padStart(2, "0");
  const text = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${hh}:${mm} UTC`;
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}

function passkeyItem(passkey: Passkey, csrf: string): SafeHtml {
  return html`<li>
  <strong>${passkey.name}</strong>
  ${passkey.backedUp ? html`<span class="badge badge-ok">Synced</span>` : html`<span class="badge">This device only</span>`}
  <br><span class="muted">Created ${timeView(passkey.createdAt)} · Last used ${passkey.lastUsedAt === null ? "never" : timeView(passkey.lastUsedAt)}</span>
  <form class="inline" method="post" action="/account/passkeys/${passkey.id}/remove">
    ${csrfField(csrf)}
    <button class="link" type="submit" aria-label="Remove passkey ${passkey.name}">Remove</button>
  </form>
</li>`;
}

/**
 * The account page's passkeys card: the user's passkeys and the form that adds one.
 * The form is hidden until the script finds WebAuthn in the browser (a browser
 * without it sees why instead); the script runs the ceremony and posts its JSON.
 */
export function passkeysCard(o: { csrf: string; passkeys: readonly Passkey[] }): SafeHtml {
  return html`<section class="card" aria-labelledby="passkeys-h">
  <h2 id="passkeys-h">Passkeys</h2>
  <p class="muted">Sign in with your fingerprint, face or device PIN instead of your password, on every MARG app.</p>
  ${
    o.passkeys.length === 0
      ? html`<p>You have no passkeys yet.</p>`
      : html`<ul>${o.passkeys.map((passkey) => passkeyItem(passkey, o.csrf))}</ul>`
  }
  <div data-passkey-register hidden>
    <form class="stack" method="post" action="/account/passkeys" novalidate>
      ${csrfField(o.csrf)}
      ${field({ name: "passkey_name", label: "Passkey name", hint: "So you can tell your passkeys apart, e.g. “Work laptop”.", autocomplete: "off" })}
      <div class="flash flash-error" role="alert" data-passkey-error hidden></div>
      <div class="actions"><button type="submit">Add a passkey</button></div>
    </form>
  </div>
  <p class="muted" data-passkey-unsupported>This browser cannot create passkeys.</p>
  <script src="${PASSKEY_SCRIPT_PATH}" defer></script>
</section>`;
}

/**
 * The sign-in page's passkey button, shown by the script only where the browser has
 * WebAuthn. Its name avoids "Sign in": the password form's button keeps that name
 * alone, as people and browser tests look for it. `next` is where a successful
 * sign-in goes (already checked).
 */
export function passkeySignInButton(o: { csrf: string; next: string }): SafeHtml {
  return html`<div data-passkey-sign-in data-csrf="${o.csrf}" data-next="${o.next}" hidden>
  <p class="muted">Or sign in without your password:</p>
  <div class="flash flash-error" role="alert" data-passkey-error hidden></div>
  <p><button class="secondary" type="button">Use a passkey</button></p>
</div>
<script src="${PASSKEY_SCRIPT_PATH}" defer></script>`;
}

/**
 * The two-factor step's passkey button (after the password), shown by the script only
 * where the browser has WebAuthn. `alone`: the account has no code to fall back on, so
 * a browser without WebAuthn says so instead of showing nothing.
 */
export function passkeySecondFactorButton(o: { csrf: string; alone: boolean }): SafeHtml {
  return html`<div data-passkey-second-factor data-csrf="${o.csrf}" hidden>
  <div class="flash flash-error" role="alert" data-passkey-error hidden></div>
  <p>${o.alone ? html`<button type="button">Use a passkey</button>` : html`<button class="secondary" type="button">Use a passkey</button>`}</p>
</div>
${o.alone ? html`<p class="muted" data-passkey-unsupported>This browser cannot use passkeys: sign in from one that can, or ask an administrator to reset your two-factor sign-in.</p>` : ""}
<script src="${PASSKEY_SCRIPT_PATH}" defer></script>`;
}
