import { type DoctorCheck, fail, ok } from "./types.js";

/** Every app's configuration loads; the rest of doctor only sees the ones that do. */
export const checkConfigs: DoctorCheck = async (ctx) =>
  ctx.apps.map((app) =>
    app.config === undefined
      ? fail(
          `config.${app.id}`,
          `${app.id}: configuration does not load: ${(app.error ?? "").split("\n").slice(1).join(" ").trim() || app.error}`,
          "Fix the variables named above in .env.shared or apps/<app>/.env",
        )
      : ok(`config.${app.id}`, `${app.id}: configuration loads`),
  );
