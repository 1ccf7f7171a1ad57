import type { MigrationSet } from "@marg/core/db";
import { createTaskAttachments } from "./attachments/migrations.js";
import { createFeedback } from "./feedback/migrations.js";
import { createReports } from "./reports/migrations.js";
import { createTaskCommentsAndActivity, createTasks } from "./tasks/migrations.js";

/** Flow's tables in its own database (klueportal). */
export const flowAppMigrations: MigrationSet = {
  source: "flow",
  connection: "app",
  migrations: {
    "2026_12_02_100000_create_tasks": createTasks,
    "2026_12_02_100100_create_task_comments_and_activity": createTaskCommentsAndActivity,
    "2026_12_02_100200_create_task_attachments": createTaskAttachments,
    "2026_12_02_100300_create_reports": createReports,
  },
};

/** Flow's tables in the business database (klue_portal_business). */
export const flowBusinessMigrations: MigrationSet = {
  source: "flow:business",
  connection: "business",
  migrations: {
    "2026_12_02_110000_create_feedback": createFeedback,
  },
};

export const flowMigrations: readonly MigrationSet[] = [flowAppMigrations, flowBusinessMigrations];
