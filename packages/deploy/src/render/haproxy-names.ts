import { type Fleet, pathFor } from "../fleet/fleet.js";
import type { InventoryApp, InventoryServer } from "../inventory/inventory-schema.js";

/** HAProxy's runtime API by default (inventory haproxy.socket); the server-state script and rolling deploys talk to it. */
export const HAPROXY_SOCKET = "/run/haproxy/admin.sock";

/** The runtime API socket of one load balancer. */
export function haproxySocket(fleet: Fleet, lb: InventoryServer): string {
  return pathFor(fleet.inventory.haproxy.socket, lb);
}

export function backendName(app: InventoryApp): string {
  return `app_${app.name.replaceAll("-", "_")}`;
}
