import { defineApp } from "@marg/core";

/** links.marg — short links, public redirects and click statistics. Database: links_db. */
export const app = defineApp({
  id: "links",
  title: "Links",
  database: "links_db",
  migrations: [],
});
