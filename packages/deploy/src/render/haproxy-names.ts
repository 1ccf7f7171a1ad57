import type { InventoryApp } from "../inventory/inventory-schema.js";

/** HAProxy's runtime API; the server-state script and rolling deploys talk to it. */
export const HAPROXY_SOCKET = "/run/haproxy/admin.sock";

export function backendName(app: InventoryApp): string {
  return `app_${app.name.replaceAll("-", "_")}`;
}
