import type { SessionDevice } from "../session/session-devices.js";
import { csrfField } from "./form.js";
import { html, type SafeHtml } from "./html.js";

/** "flow" → "Flow": the app a session was signed in on. */
function appTitle(app: string | null): string {
  return app === null ? "Unknown app" : app.charAt(0).toUpperCase() + app.slice(1);
}

function when(ms: number): SafeHtml {
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")} UTC</time>`;
}

/**
 * A user's signed-in sessions as a table: app, browser and system, address, first
 * and last seen, and an "End" button posting to `endAction(handle)` (with the CSRF
 * token). Shared by the account page ("your devices") and admin's user page.
 */
export function sessionDevicesTable(o: {
  devices: readonly SessionDevice[];
  csrf: string;
  endAction: ((handle: string) => string) | null;
  /** The handle of the session viewing the page, marked "this device". */
  current?: string | undefined;
}): SafeHtml {
  return html`<table class="list sessions">
  <thead><tr><th>App</th><th>Browser</th><th>IP</th><th>First seen</th><th>Last seen</th>${o.endAction === null ? "" : html`<th>End</th>`}</tr></thead>
  <tbody>${o.devices.map((device) => {
    const action = o.endAction?.(device.handle);
    return html`<tr data-session="${device.handle}">
    <td>${appTitle(device.app)}${device.handle === o.current ? html` <span class="badge badge-ok">this device</span>` : ""}</td>
    <td title="${device.userAgent ?? ""}">${device.browser} on ${device.os}</td>
    <td>${device.ip ?? html`<span class="muted">—</span>`}</td>
    <td>${when(device.firstSeen)}</td>
    <td>${when(device.lastSeen)}</td>
    ${
      action === undefined
        ? ""
        : html`<td><form class="inline" method="post" action="${action}">${csrfField(o.csrf)}<button class="secondary" type="submit">End</button></form></td>`
    }
  </tr>`;
  })}</tbody>
</table>`;
}
