// RBAC check throughput: warm cache vs RBAC_CACHE_ENABLED=false, and the warm job's rate.
// Reads: nothing but its own scratch databases — a SQLite file in a temp dir (embedded
// setup) and, when reachable, a scratch MariaDB database + a Redis key prefix (servers'
// setup), all removed at the end. Writes: one report to stdout. No timing asserts here
// or in tests; this prints numbers and ratios for humans and CI logs.
// Run: node --import tsx bench/rbac-check.bench.ts [--users 2000] [--checks 200000]
import { createRbacTestEnv, RBAC_DRIVERS, type RbacDriver } from "@marg/core/testing/rbac";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

const USERS = option("users", 2000);
const CHECKS = option("checks", 200_000);
const UNCACHED_CHECKS = Math.max(1000, Math.round(CHECKS / 40));
const PERMISSIONS = ["tasks.view", "tasks.update", "links.delete", "reports.view"];

async function timed(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await run(i);
  return count / ((performance.now() - started) / 1000);
}

const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString("en-US")}/s`;

async function bench(driver: RbacDriver): Promise<void> {
  const env = await createRbacTestEnv(driver, "rbac_bench");
  try {
    const admin = env.newService();
    for (const name of ["tasks.*", "tasks.view", "links.delete", "reports.view"])
      await admin.createPermission(name);
    await admin.createRole("member");
    await admin.createRole("editor");
    await admin.grant("member", "tasks.view");
    await admin.grant("member", "reports.view");
    await admin.grant("editor", "tasks.*");
    const roleIds = [
      (await env.repository.findRole("member"))?.id ?? 0,
      (await env.repository.findRole("editor"))?.id ?? 0,
    ];
    const ids: number[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const id = await env.addUser(`bench${i}@example.test`);
      ids.push(id);
      await env.repository.link({ table: "user_roles", user_id: id, role_id: roleIds[i % 2] ?? 0 });
    }
    await admin.invalidateCache();

    const warmStarted = performance.now();
    const written = await admin.warm(ids);
    const warmRate = written / ((performance.now() - warmStarted) / 1000);

    const cached = env.newService();
    const sample = ids.slice(0, 100);
    for (const id of sample) await cached.can(id, "tasks.view"); // fill this process's copies
    const warmChecks = await timed(CHECKS, (i) =>
      cached.can(sample[i % sample.length] ?? 0, PERMISSIONS[i % PERMISSIONS.length] ?? "tasks.view"),
    );

    const uncached = env.newService({ cacheEnabled: false });
    const dbChecks = await timed(UNCACHED_CHECKS, (i) =>
      uncached.can(sample[i % sample.length] ?? 0, PERMISSIONS[i % PERMISSIONS.length] ?? "tasks.view"),
    );

    const coldServer = env.newService();
    const sharedChecks = await timed(Math.min(USERS, 2000), (i) => coldServer.can(ids[i] ?? 0, "tasks.view"));

    console.log(`\n${driver.name}`);
    console.log(`  check, warm in-process cache      ${rate(warmChecks)}  (${CHECKS} checks)`);
    console.log(
      `  check, first on a warmed server   ${rate(sharedChecks)}  (shared ${driver.cache} cache, no RBAC query)`,
    );
    console.log(`  check, RBAC_CACHE_ENABLED=false   ${rate(dbChecks)}  (${UNCACHED_CHECKS} checks)`);
    console.log(`  warm cache / no cache             ${(warmChecks / dbChecks).toFixed(0)}×`);
    console.log(`  rbac:warm                         ${rate(warmRate)} users  (${written} users)`);
  } finally {
    await env.destroy();
  }
}

console.log(`RBAC check benchmark — ${USERS} users, node ${process.version}`);
for (const driver of RBAC_DRIVERS) {
  try {
    await bench(driver);
  } catch (error) {
    console.log(`\n${driver.name}: skipped (${(error as Error).message})`);
  }
}
process.exit(0);
