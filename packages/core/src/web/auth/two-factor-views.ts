import type { TwoFactorStatus } from "../../auth/two-factor/two-factor-service.js";
import { csrfField, field } from "../form.js";
import { html, raw, type SafeHtml } from "../html.js";
import { passkeySecondFactorButton } from "./passkey-views.js";

/** The code field of both the sign-in step and the set-up: six digits or a recovery code. */
function codeField(o: { label: string; hint: string; error?: string | undefined }): SafeHtml {
  return field({
    name: "code",
    label: o.label,
    hint: o.hint,
    error: o.error,
    autocomplete: "one-time-code",
    required: true,
    autofocus: true,
  });
}

/**
 * The second step of a sign-in: the password was right, now the code, a passkey, or
 * either (whatever the account has). The passkey part is hidden until the script finds
 * WebAuthn in the browser; one with only passkeys and no WebAuthn is told why.
 */
export function twoFactorSignInView(o: {
  csrf: string;
  totp: boolean;
  passkey: boolean;
  error?: string;
}): SafeHtml {
  const intro = o.totp
    ? o.passkey
      ? "Type the code your authenticator app shows for MARG, or use one of your passkeys."
      : "Open your authenticator app and type the code it shows for MARG."
    : "Confirm it is you with one of your passkeys.";
  return html`<div class="card narrow">
  <h1>Two-factor sign-in</h1>
  <p class="muted">${intro}</p>
  ${o.error ? html`<div class="flash flash-error" role="alert">${o.error}</div>` : ""}
  ${o.passkey ? passkeySecondFactorButton({ csrf: o.csrf, alone: !o.totp }) : ""}
  ${
    o.totp
      ? html`<form class="stack" method="post" action="/login/two-factor" novalidate>
    ${csrfField(o.csrf)}
    ${codeField({ label: "Code", hint: "Six digits from the app, or one of your recovery codes (abcde-fghjk)." })}
    <div class="actions"><button type="submit">Sign in</button><a href="/login">Start again</a></div>
  </form>`
      : html`<p><a href="/login">Start again</a></p>`
  }
</div>`;
}

/** The account page's card: on or off, recovery codes left, and what can be done. */
export function twoFactorCardView(o: {
  csrf: string;
  status: TwoFactorStatus;
  required: boolean;
  /** The account's passkeys: each one is also a second step after the password. */
  passkeys: number;
}): SafeHtml {
  const { status } = o;
  const passkeyNote =
    o.passkeys === 0
      ? ""
      : html`<p class="muted">Your ${o.passkeys === 1 ? "passkey" : `${o.passkeys} passkeys`} can also be used as the second step after your password.</p>`;
  return html`<section class="card" aria-labelledby="two-factor-h">
  <h2 id="two-factor-h">Two-factor sign-in</h2>
  ${
    status.enabled
      ? html`<p><strong>On.</strong> Sign-in asks for a code from your authenticator app.
    ${status.recoveryCodesLeft} recovery ${status.recoveryCodesLeft === 1 ? "code" : "codes"} left.</p>
  ${passkeyNote}
  <form method="post" action="/account/two-factor/recovery-codes">
    ${csrfField(o.csrf)}
    <button type="submit">New recovery codes</button>
  </form>
  <form class="stack" method="post" action="/account/two-factor/disable" novalidate>
    ${csrfField(o.csrf)}
    ${field({ name: "two_factor_password", label: "Password", type: "password", autocomplete: "current-password", required: true, hint: o.required && o.passkeys === 0 ? "Your role requires two-factor sign-in: you will be asked to set it up again." : "Needed to turn the authenticator app off." })}
    <div class="actions"><button class="danger" type="submit">Turn off</button></div>
  </form>`
      : o.passkeys > 0
        ? html`<p><strong>On, with ${o.passkeys === 1 ? "your passkey" : "your passkeys"}.</strong> After your password, sign-in asks for a passkey. A code from an authenticator app would be another way in if you lose ${o.passkeys === 1 ? "it" : "them"}.</p>
  <p><a class="button secondary" href="/account/two-factor">Add an authenticator app</a></p>`
        : html`<p><strong>Off.</strong> A code from an authenticator app on your phone keeps your account safe even if your password leaks.</p>
  <p><a class="button" href="/account/two-factor">Set up</a></p>`
  }
</section>`;
}

/** Set-up: the QR code (server-rendered SVG), the secret to type by hand, and the confirming code. */
export function twoFactorSetupView(o: {
  csrf: string;
  qrSvg: string;
  secret: string;
  required: boolean;
  /** Where AUTH_REQUIRE_2FA sends someone: a passkey counts too, so its card is offered below. */
  passkeyAlternative?: SafeHtml;
  error?: string;
}): SafeHtml {
  // Groups of four, as authenticator apps show a typed-in key.
  const grouped = o.secret.replace(/(.{4})/g, "$1 ").trim();
  return html`<div class="card narrow">
  <h1>Set up two-factor sign-in</h1>
  ${o.required ? html`<div class="flash flash-info" role="status">Your role requires two-factor sign-in: set it up to go on.</div>` : ""}
  ${o.error ? html`<div class="flash flash-error" role="alert">${o.error}</div>` : ""}
  <ol>
    <li>Scan this code with an authenticator app (Google Authenticator, Aegis, 1Password…).
      <div class="qr-code">${raw(o.qrSvg)}</div></li>
    <li>Or type this key into the app: <code id="two-factor-secret">${grouped}</code></li>
    <li>Type the six-digit code the app shows now.</li>
  </ol>
  <form class="stack" method="post" action="/account/two-factor/confirm" novalidate>
    ${csrfField(o.csrf)}
    ${codeField({ label: "Code", hint: "Six digits; a new one every 30 seconds.", error: o.error === undefined ? undefined : "Try the code shown now." })}
    <div class="actions"><button type="submit">Turn on</button><a href="/account">Later</a></div>
  </form>
  <form method="post" action="/account/two-factor/restart">
    ${csrfField(o.csrf)}
    <button class="link" type="submit">Start over with a new key</button>
  </form>
  ${o.passkeyAlternative === undefined ? "" : html`<p class="muted">Rather use a passkey? Add one below: it counts as two-factor sign-in.</p>`}
</div>
${o.passkeyAlternative === undefined ? "" : html`<div class="narrow">${o.passkeyAlternative}</div>`}`;
}

/** The recovery codes, shown once: a list to print or save, and a text file to download. */
export function recoveryCodesView(o: {
  codes: readonly string[];
  fresh: boolean;
  /** A same-app path the person was on their way to when set-up was required. */
  continueTo?: string | undefined;
}): SafeHtml {
  const text = `MARG recovery codes\nEach works once, in place of a code from your authenticator app.\n\n${o.codes.join("\n")}\n`;
  return html`<div class="card narrow">
  <h1>${o.fresh ? "Two-factor sign-in is on" : "New recovery codes"}</h1>
  <p>Keep these recovery codes somewhere safe: each signs you in once if you lose your phone.
    They are shown only now${o.fresh ? "" : "; the old ones no longer work"}.</p>
  <ol class="recovery-codes">
    ${o.codes.map((code) => html`<li><code>${code}</code></li>`)}
  </ol>
  <div class="actions">
    <a class="button" download="marg-recovery-codes.txt" href="data:text/plain;charset=utf-8,${encodeURIComponent(text)}">Download</a>
    ${o.continueTo === undefined ? html`<a href="/account">Done, back to my account</a>` : html`<a href="${o.continueTo}">Done, continue</a>`}
  </div>
</div>`;
}
