/**
 * Variables the seed's `.env` sets that MARG has no use for. They are not in the schema
 * (so nothing reads them), but a start that finds one set says so once, with the reason,
 * instead of accepting it and doing nothing: the operator would otherwise think it works.
 */
export const RETIRED_VARIABLES = {
  RBAC_DB_CONNECTION:
    "the RBAC tables always live on MARG's `rbac` connection; point it elsewhere with RBAC_DB_DRIVER, RBAC_DB_HOST, RBAC_DB_PORT, RBAC_DB_DATABASE, RBAC_DB_USERNAME and RBAC_DB_PASSWORD",
  RBAC_SESSION_DRIVER: "every app shares one session store, the one SESSION_DRIVER names (redis or database)",
  RBAC_SESSION_CONNECTION:
    "sessions use the store SESSION_DRIVER names: its Redis (REDIS_*) or the RBAC database",
} as const satisfies Record<string, string>;

export const RETIRED_VARIABLE_NAMES = Object.keys(RETIRED_VARIABLES) as (keyof typeof RETIRED_VARIABLES)[];

/** One line for each retired variable that is set, naming where it was set. */
export function retiredVariableWarnings(
  values: Readonly<Record<string, string>>,
  sources: Readonly<Record<string, string>>,
): string[] {
  return RETIRED_VARIABLE_NAMES.filter((name) => values[name] !== undefined).map(
    (name) =>
      `${name} is no longer used${sources[name] === undefined ? "" : ` (set in ${sources[name]})`}: ` +
      `${RETIRED_VARIABLES[name]}. Remove it.`,
  );
}
