import { defineApp } from "@marg/core";

/** flow.marg — tasks, documents, reports, feedback and the profile. Database: klueportal. */
export const app = defineApp({
  id: "flow",
  title: "Flow",
  database: "klueportal",
  migrations: [],
});
