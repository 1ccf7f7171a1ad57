import type { Fleet } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { backendName, haproxySocket } from "./haproxy-names.js";
import { header, lines } from "./text.js";

/** The seed's `haproxy-disable-server`/`enable-server`, made real with the runtime API. */
export function serverStateScript(fleet: Fleet, lb: InventoryServer): string {
  const backends = fleet.apps.map(backendName).join(" ");
  const servers = fleet.https.map((server) => server.name).join(" ");
  return lines(
    "#!/usr/bin/env bash",
    header(fleet, "marg-haproxy-server: take an http server out of rotation, or put it back."),
    "# Usage: marg-haproxy-server drain|ready|maint|status <server>",
    "#   drain  stop sending it new visitors and wait (30 s at most) for open sessions to end",
    "#   ready  send it visitors again (health checks still apply)",
    "#   maint  take it out at once",
    "# Reads and writes HAProxy's runtime API socket; needs socat.",
    "set -euo pipefail",
    "",
    `SOCKET=${haproxySocket(fleet, lb)}`,
    `BACKENDS="${backends}"`,
    `SERVERS="${servers}"`,
    "",
    "usage() {",
    '  echo "usage: marg-haproxy-server drain|ready|maint|status <server>; servers: $SERVERS" >&2',
    "  exit 2",
    "}",
    'api() { echo "$1" | socat stdio "unix-connect:$SOCKET"; }',
    "",
    "[[ $# -ge 1 ]] || usage",
    "action=$1",
    'if [[ "$action" == "status" ]]; then',
    '  api "show servers state"',
    "  exit 0",
    "fi",
    "[[ $# -ge 2 ]] || usage",
    "server=$2",
    'case " $SERVERS " in *" $server "*) ;; *) usage ;; esac',
    'case "$action" in drain | ready | maint) ;; *) usage ;; esac',
    "for backend in $BACKENDS; do",
    '  api "set server $backend/$server state $action"',
    "done",
    'if [[ "$action" == "drain" ]]; then',
    "  open=0",
    "  for _ in $(seq 30); do",
    "    # show stat is CSV: proxy, server, …, current sessions in the 5th column.",
    '    open=$(api "show stat" | awk -F, -v s="$server" \'$2 == s { n += $5 } END { print n + 0 }\')',
    '    [[ "$open" == "0" ]] && exit 0',
    "    sleep 1",
    "  done",
    '  echo "warning: $server still has $open open session(s) after 30 s" >&2',
    "fi",
  );
}
