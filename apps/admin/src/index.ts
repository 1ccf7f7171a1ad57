import { defineApp } from "@marg/core";

/** admin.marg — users, roles, permissions, queues and health: the control room. Its data is marg-rbac. */
export const app = defineApp({
  id: "admin",
  title: "Admin",
  database: "marg-rbac",
  migrations: [],
});
