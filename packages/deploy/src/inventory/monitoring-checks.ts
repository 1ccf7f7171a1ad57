import { type Fleet, monitoringServer, resolveFleet } from "../fleet/fleet.js";
import { ALERT_NAMES } from "../render/alert-rules.js";
import { closestWord, type InventoryIssue } from "./inventory-issue.js";
import type { Inventory } from "./inventory-schema.js";

/** http servers other than Prometheus' own: their apps listen on loopback, out of its reach. */
export function unscrapedHttpServers(fleet: Fleet): string[] {
  const prometheus = monitoringServer(fleet);
  return fleet.https.filter((server) => server.name !== prometheus.name).map((server) => server.name);
}

/** `monitoring:` names a real server and real alerts; says which apps Prometheus cannot reach. */
export function checkMonitoring(inventory: Inventory, issues: InventoryIssue[], warnings: InventoryIssue[]) {
  const { monitoring } = inventory;
  const names = inventory.servers.map((server) => server.name);
  if (monitoring.server !== undefined && !names.includes(monitoring.server)) {
    const guess = closestWord(monitoring.server, names);
    issues.push({
      path: ["monitoring", "server"],
      problem: `"${monitoring.server}" is not a server of this inventory`,
      fix: guess === undefined ? `name one of: ${names.join(", ")}` : `did you mean ${guess}?`,
    });
  }
  for (const alert of Object.keys(monitoring.alertFor)) {
    if (ALERT_NAMES.includes(alert)) continue;
    const guess = closestWord(alert, ALERT_NAMES);
    issues.push({
      path: ["monitoring", "alertFor", alert],
      problem: "is not one of MARG's alert rules",
      fix: guess === undefined ? `use one of: ${ALERT_NAMES.join(", ")}` : `did you mean ${guess}?`,
    });
  }
  if (issues.length > 0) return;
  const unscraped = unscrapedHttpServers(resolveFleet(inventory));
  if (unscraped.length > 0)
    warnings.push({
      path: ["monitoring", "server"],
      problem: `the apps on ${unscraped.join(", ")} listen on loopback, so Prometheus cannot scrape them and they are left out of prometheus.yml`,
      fix: "run a Prometheus on each of those servers too, or accept node-level monitoring for them",
    });
}
