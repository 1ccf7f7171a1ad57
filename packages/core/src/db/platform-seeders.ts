import type { Seeder } from "./seeder.js";

/** Seeders core itself contributes (default roles and permissions, …); `marg db:seed` runs these first. */
export const platformSeeders: Seeder[] = [];
