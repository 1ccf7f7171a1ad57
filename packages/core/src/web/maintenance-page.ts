import type { MaintenanceState } from "../maintenance/types.js";
import { html } from "./html.js";
import { type LayoutApp, renderLayout } from "./layout.js";

function retryHint(seconds: number | null): string {
  if (seconds === null) return "Please try again in a little while.";
  if (seconds < 120) return `Please try again in about ${seconds} seconds.`;
  return `Please try again in about ${Math.round(seconds / 60)} minutes.`;
}

/**
 * The maintenance page in the ecosystem's frame (the shared stylesheet is exempt
 * from maintenance, so it looks like every other page), with the operator's
 * message and when to come back. No user menu: the session is not read while down.
 */
export function createMaintenancePage(options: {
  appId: string;
  appTitle: string;
  apps: readonly LayoutApp[];
}): (state: MaintenanceState) => string {
  return (state) =>
    renderLayout({
      title: "Down for maintenance",
      appId: options.appId,
      appTitle: options.appTitle,
      apps: options.apps,
      showUserMenu: false,
      body: html`<section class="error-page maintenance-page">
  <div class="code">503</div>
  <h1>Down for maintenance</h1>
  <p>${state.message}</p>
  <p class="muted">${retryHint(state.retryAfterSeconds)}</p>
</section>`,
    });
}
