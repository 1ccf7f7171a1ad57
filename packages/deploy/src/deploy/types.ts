/** The steps of `marg deploy`, in order (the seed's deploy.sh). */
export const DEPLOY_STEPS = [
  "maintenance-on",
  "fetch",
  "reset",
  "install",
  "build",
  "migrate",
  "caches",
  "reload-apps",
  "restart-workers",
  "maintenance-off",
] as const;

export type DeployStepName = (typeof DEPLOY_STEPS)[number];

/** One command of the plan; argv, never a shell line, so no value is ever interpreted by a shell. */
export interface DeployStep {
  readonly name: DeployStepName;
  readonly argv: readonly string[];
  /** From this step on the working tree holds the new code: a failure no longer lifts maintenance. */
  readonly changesCode: boolean;
}

export interface DeployOptions {
  /** The checkout to deploy (MARG_ROOT). */
  readonly path: string;
  readonly branch: string;
  readonly remote?: string;
  /**
   * `node /srv/marg/packages/cli/bin/marg-compiled.js`, as argv: the compiled code, which the
   * `build` step brings up to date before `migrate` and after it everything runs the new code.
   */
  readonly marg: readonly string[];
  /** MARG_APPS: each app's process is reloaded. */
  readonly apps: readonly string[];
  /** `fleet`: marg down / marg up (the shared flag); `none`: the caller took the server out (rolling deploy). */
  readonly maintenance: "fleet" | "none";
  readonly processManager: "supervisor" | "systemd" | "none";
  /** supervisord's control socket (inventory install.supervisorSocket); default: supervisorctl's own. */
  readonly supervisorSocket?: string;
  /**
   * The programs supervisord runs on this server (`supervisorctl avail`): when given, only those of
   * MARG's that exist are restarted, so a server without workers (or without an app) deploys cleanly.
   */
  readonly supervisorPrograms?: readonly string[];
  /** Prefix for the process manager's commands (default `sudo -n`, never prompting). */
  readonly sudo?: readonly string[];
  /** Replace or skip (null) any step's command. */
  readonly overrides?: Partial<Record<DeployStepName, readonly string[] | null>>;
}
