// MARG passkeys: the browser half of adding a passkey (account page), of signing in
// with one (sign-in page) and of using one as the second step after the password
// (/login/two-factor). A static file because the Content-Security-Policy allows no
// inline script. The server hands out WebAuthn options as JSON and keeps the challenge;
// this file turns them into a ceremony and posts the credential's JSON back.
(() => {
  const supported =
    typeof window.PublicKeyCredential === "function" &&
    typeof window.PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof window.PublicKeyCredential.parseRequestOptionsFromJSON === "function" &&
    navigator.credentials !== undefined;

  /** POSTs JSON with the session's CSRF token; resolves with the JSON answer or throws its message. */
  async function postJson(url, csrf, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message = answer?.error?.message ?? answer?.message;
      throw new Error(typeof message === "string" ? message : `The server answered ${response.status}.`);
    }
    return answer;
  }

  /** What the person is told when the browser's own ceremony fails. */
  function ceremonyMessage(error) {
    if (error?.name === "NotAllowedError") return "No passkey was used (cancelled, or it took too long).";
    if (error?.name === "InvalidStateError") return "This device already holds a passkey for your account.";
    return error instanceof Error && error.message !== "" ? error.message : "The passkey did not work.";
  }

  function showError(box, message) {
    if (box === null) return;
    box.textContent = message;
    box.hidden = false;
  }

  function setUpRegistration(container) {
    const unsupported = container.parentElement?.querySelector("[data-passkey-unsupported]");
    if (!supported) return;
    if (unsupported) unsupported.hidden = true;
    container.hidden = false;
    const form = container.querySelector("form");
    const errorBox = container.querySelector("[data-passkey-error]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      const csrf = form.querySelector("input[name=_csrf]").value;
      const name = form.querySelector("input[name=passkey_name]").value;
      if (errorBox) errorBox.hidden = true;
      button.disabled = true;
      try {
        const options = await postJson("/account/passkeys/options", csrf, {});
        let credential;
        try {
          credential = await navigator.credentials.create({
            publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
          });
        } catch (error) {
          throw new Error(ceremonyMessage(error));
        }
        await postJson("/account/passkeys", csrf, { name, credential: credential.toJSON() });
        window.location.assign("/account");
      } catch (error) {
        showError(errorBox, error instanceof Error ? error.message : String(error));
        button.disabled = false;
      }
    });
  }

  /**
   * A sign-in ceremony on a button: asks `optionsUrl` for a challenge, lets the browser
   * answer it with a passkey, posts the answer to `answerUrl` and goes where the server says.
   */
  function bindPasskeySignIn(container, optionsUrl, answerUrl, extraBody) {
    container.hidden = false;
    const button = container.querySelector("button");
    const errorBox = container.querySelector("[data-passkey-error]");
    const csrf = container.dataset.csrf ?? "";
    button.addEventListener("click", async () => {
      if (errorBox) errorBox.hidden = true;
      button.disabled = true;
      try {
        const options = await postJson(optionsUrl, csrf, {});
        let credential;
        try {
          credential = await navigator.credentials.get({
            publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
          });
        } catch (error) {
          throw new Error(ceremonyMessage(error));
        }
        const answer = await postJson(answerUrl, csrf, { credential: credential.toJSON(), ...extraBody });
        window.location.assign(typeof answer.next === "string" ? answer.next : "/");
      } catch (error) {
        showError(errorBox, error instanceof Error ? error.message : String(error));
        button.disabled = false;
      }
    });
  }

  /** Password-less sign-in on /login. */
  function setUpSignIn(container) {
    if (!supported) return;
    bindPasskeySignIn(container, "/login/passkey/options", "/login/passkey", {
      next: container.dataset.next ?? "/",
    });
  }

  /** The two-factor step after the password: only the pending account's passkeys, then where it was going. */
  function setUpSecondFactor(container) {
    const unsupported = container.parentElement?.querySelector("[data-passkey-unsupported]");
    if (!supported) return;
    if (unsupported) unsupported.hidden = true;
    bindPasskeySignIn(container, "/login/two-factor/passkey/options", "/login/two-factor/passkey", {});
  }

  for (const container of document.querySelectorAll("[data-passkey-register]")) setUpRegistration(container);
  for (const container of document.querySelectorAll("[data-passkey-second-factor]"))
    setUpSecondFactor(container);
  for (const container of document.querySelectorAll("[data-passkey-sign-in]")) setUpSignIn(container);
})();
