import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Generated } from "kysely";
import { z } from "zod";
import { defineApp } from "../../app/app-definition.js";
import type { MigrationSet } from "../../db/migration-types.js";
import { requireAuth } from "../../web/require-auth.js";
import { apiErrorResponses } from "../../web/validation/api-error-schema.js";
import { parseJson, validateForm } from "../../web/validation/validate-input.js";

/** The probe app's own table, in its own database (`notes`). */
export interface ProbeTables {
  readonly notes: { readonly id: Generated<number>; readonly title: string };
}

const probeMigrations: MigrationSet = {
  source: "probe",
  connection: "app",
  migrations: {
    "2026_12_05_000000_create_notes": {
      up: async (db) => {
        await db.schema
          .createTable("notes")
          .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
          .addColumn("title", "varchar(200)", (c) => c.notNull())
          .execute();
      },
    },
  },
};

const noteSchema = z.object({
  title: z.string({ error: "Give the note a title." }).trim().min(1, "Give the note a title."),
  tags: z.array(z.string().max(5, "Keep tags short.")).default([]),
});

/**
 * A small app on the kit: a form and a JSON route over one zod schema, its own
 * database and stylesheet. `cssDir` receives the stylesheet file.
 */
export function kitProbeApp(cssDir: string) {
  const stylesheet = path.join(cssDir, "probe.css");
  writeFileSync(stylesheet, ".probe { color: teal; }\n");
  return defineApp({
    id: "probe",
    title: "Probe",
    database: "probe_db",
    migrations: [probeMigrations],
    stylesheet,
    routes(app, { platform, pages }) {
      const notes = () => platform.appDatabase<ProbeTables>("probe");
      app.post("/notes", { preHandler: requireAuth }, async (request, reply) => {
        const result = validateForm(noteSchema, request.body);
        if (!result.ok) return reply.code(422).send({ formErrors: result.fields });
        await notes().insertInto("notes").values({ title: result.data.title }).execute();
        return reply.redirect("/notes", 303);
      });
      app.get("/notes", { preHandler: requireAuth }, async (request, reply) => {
        const rows = await notes().selectFrom("notes").selectAll().execute();
        return pages.page(request, reply, { title: "Notes", body: rows.map((row) => row.title).join(",") });
      });
      app.post(
        "/api/v1/notes",
        { preHandler: requireAuth, schema: { response: { ...apiErrorResponses(422) } } },
        async (request, reply) => {
          const input = parseJson(noteSchema, request.body);
          await notes().insertInto("notes").values({ title: input.title }).execute();
          return reply.code(201).send({ title: input.title, tags: input.tags });
        },
      );
    },
  });
}
