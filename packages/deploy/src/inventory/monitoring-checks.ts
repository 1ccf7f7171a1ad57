import { ALERT_NAMES } from "../render/alert-rules.js";
import { closestWord, type InventoryIssue } from "./inventory-issue.js";
import type { Inventory } from "./inventory-schema.js";

/** `monitoring:` names a real server and real alerts. */
export function checkMonitoring(inventory: Inventory, issues: InventoryIssue[]) {
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
}
