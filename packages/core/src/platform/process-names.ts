/**
 * The names MARG's processes have under a process manager, defined once: the
 * supervisor and systemd renderers name programs and units with them, and
 * `marg deploy` and `marg doctor` restart or point at the same names.
 */
export type ProcessManagerName = "supervisor" | "systemd";

/** The queue workers' supervisor program / systemd unit template. */
export const WORKER_PROCESS = "marg-worker";

/** One app's program / unit: `marg-flow`. */
export function appProcessName(app: string): string {
  return `marg-${app}`;
}

/**
 * What to hand `supervisorctl` or `systemctl` to act on one app, or on every
 * worker. Supervisor programs stand alone (no `[group:]`), so `marg-flow`
 * names the app and the workers' implicit group is `marg-worker:*`, as in the
 * seed guide; systemd runs workers as instances of `marg-worker@.service`.
 */
export const PROCESS_TARGETS: Readonly<
  Record<ProcessManagerName, { app(app: string): string; readonly workers: string }>
> = {
  supervisor: { app: appProcessName, workers: `${WORKER_PROCESS}:*` },
  systemd: { app: (app) => `${appProcessName(app)}.service`, workers: `${WORKER_PROCESS}@*.service` },
};

/** The commands that restart every worker, as an operator types them (for hints). */
export function restartWorkersHint(action: "start" | "restart"): string {
  return `\`sudo supervisorctl ${action} ${PROCESS_TARGETS.supervisor.workers}\` (supervisor) or \`sudo systemctl ${action} '${PROCESS_TARGETS.systemd.workers}'\` (systemd)`;
}
