import { type Fleet, isLoopback } from "../fleet/fleet.js";
import { listenersOf } from "../fleet/fleet-listeners.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { header, lines, MODE, serverFile, shellQuote } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const UFW_SCRIPT = "/usr/local/sbin/marg-ufw";

function sshRules(fleet: Fleet): string[] {
  const { ssh } = fleet.inventory;
  if (ssh.allowFrom.length === 0) {
    // The seed's `ufw allow 22/tcp`, rate-limited: six attempts in 30 s per address.
    return [`ufw limit ${ssh.port}/tcp comment 'ssh'`];
  }
  return ssh.allowFrom.map(
    (from) => `ufw allow from ${from} to any port ${ssh.port} proto tcp comment 'ssh'`,
  );
}

function serviceRules(fleet: Fleet, server: InventoryServer): string[] {
  return listenersOf(fleet, server).flatMap((listener) => {
    if (listener.from === "loopback") return [];
    if (listener.from === "anyone") {
      return [`ufw allow ${listener.port}/tcp comment ${shellQuote(listener.service)}`];
    }
    return listener.from.map(
      (client) =>
        `ufw allow from ${client.address} to any port ${listener.port} proto tcp comment ${shellQuote(`${listener.service} from ${client.name}`)}`,
    );
  });
}

function ufwScript(fleet: Fleet, server: InventoryServer): string {
  return lines(
    "#!/usr/bin/env bash",
    header(
      fleet,
      `Firewall of ${server.name} (${server.roles.join(", ")}), derived from the inventory's addresses.`,
    ),
    "# Run as root. Resets ufw to exactly these rules, so a server removed from the",
    "# inventory loses its access too. SSH is allowed before ufw is enabled, and",
    "# connections already open (yours) survive the reset.",
    "set -euo pipefail",
    "",
    "ufw --force reset",
    "ufw default deny incoming",
    "ufw default allow outgoing",
    sshRules(fleet),
    serviceRules(fleet, server),
    "ufw --force enable",
    "ufw status verbose",
  );
}

/** /usr/local/sbin/marg-ufw on every server that others reach over the network. */
export function renderUfw({ fleet }: RenderInput): RenderedFile[] {
  return (
    fleet.servers
      // A loopback-only machine (the phase 1 laptop) has nothing to firewall; its owner's rules stay.
      .filter((server) => !isLoopback(server))
      .map((server) => serverFile(server, UFW_SCRIPT, ufwScript(fleet, server), MODE.script))
  );
}
