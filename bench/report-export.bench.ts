// Flow's report export (issue 19): the peak RSS of a real `marg work` process making one
// report of 10,000 and of 100,000 tasks, on embedded SQLite. The job streams rows from the
// database into the file, so the worker's memory should not grow with the report: the
// figures are the growth during the job (VmHWM after − VmRSS before) and its ratio.
// Reads: nothing outside temp MARG_ROOTs (removed at the end). Writes: a table to stdout and
// bench/results/report-export.json. No timing asserts.
// Run: node --import tsx bench/report-export.bench.ts [--sizes 10000,100000]
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "@marg/core/config";
import { createPlatform } from "@marg/core/platform";
import { createTempDir } from "@marg/core/testing";
import { FLOW_APP, type FlowTables, ReportRepository, ReportService } from "@marg/flow/testing";
import { MARG_BIN, REPO_ROOT, startProcess } from "../test/support/spawn-process.js";
import { runBench, stringOption } from "./harness/options.js";
import { megabytes, peakResidentBytes, residentBytes } from "./harness/process-stats.js";

const DAY = "2029-03-01";

interface ExportMemory {
  readonly tasks: number;
  readonly rssBeforeMb: number | null;
  readonly peakMb: number | null;
  readonly growthMb: number | null;
  readonly rowCount: number;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measure(tasks: number): Promise<ExportMemory> {
  const root = createTempDir("report-export-bench");
  try {
    writeFileSync(
      path.join(root.path, ".env.shared"),
      `APP_KEY=base64:${Buffer.alloc(32, 4).toString("base64")}\nQUEUE_CONNECTION=database\nLOG_LEVEL=warn\n`,
      { mode: 0o600 },
    );
    const env = { ...process.env, MARG_ROOT: root.path };
    for (const command of ["migrate", "db:seed"])
      execFileSync(process.execPath, [MARG_BIN, command], { cwd: REPO_ROOT, env, stdio: "ignore" });
    const config = loadConfig({ app: FLOW_APP.id, root: root.path, appDefaults: FLOW_APP, env: {} });
    const platform = await createPlatform(config);
    try {
      const ada = await platform.users.findByEmail("ada@marg.localhost");
      if (ada === null) throw new Error("the demo accounts were not seeded");
      const db = platform.databases.connection<FlowTables>("app");
      const at = Date.parse(`${DAY}T00:00:00Z`);
      for (let start = 0; start < tasks; start += 500) {
        const rows = Array.from({ length: Math.min(500, tasks - start) }, (_, index) => ({
          user_id: ada.id,
          assignee_id: ada.id,
          title: `Export bench task ${start + index}, with a title of ordinary length`,
          description: "",
          status: "todo",
          priority: 2,
          due_on: "2029-04-01",
          created_at: at + start + index,
          updated_at: at + start + index,
        }));
        await db.insertInto("tasks").values(rows).execute();
      }
      const worker = startProcess(process.execPath, [MARG_BIN, "work", "--sleep", "0.05"], {
        env: { MARG_ROOT: root.path },
      });
      try {
        await until("the worker's heartbeat", async () => (await platform.queue.status()).workers.length > 0);
        const pid = worker.child.pid ?? 0;
        const before = residentBytes(pid);
        const reports = new ReportRepository(db);
        const service = new ReportService({
          reports,
          queue: platform.queue,
          storagePath: config.storage.path,
        });
        const report = await service.request({ userId: ada.id, viewAll: true }, { from: DAY, to: DAY });
        await until("the report", async () => (await reports.find(report.id))?.state === "ready");
        const peak = peakResidentBytes(pid);
        const done = await reports.find(report.id);
        return {
          tasks,
          rssBeforeMb: megabytes(before),
          peakMb: megabytes(peak),
          growthMb: before === null || peak === null ? null : megabytes(peak - before),
          rowCount: done?.rowCount ?? 0,
        };
      } finally {
        await worker.stop();
      }
    } finally {
      await platform.close();
    }
  } finally {
    root.remove();
  }
}

await runBench(async () => {
  const sizes = (stringOption(process.argv, "sizes") ?? "10000,100000").split(",").map(Number);
  const results: ExportMemory[] = [];
  for (const size of sizes) {
    const result = await measure(size);
    results.push(result);
    console.log(
      `${String(result.tasks).padStart(7)} tasks: ${result.rowCount} rows written; worker RSS before ${result.rssBeforeMb} MB, ` +
        `peak ${result.peakMb} MB, growth ${result.growthMb} MB`,
    );
  }
  const [small, large] = [results[0], results[results.length - 1]];
  if (small !== undefined && large !== undefined && small !== large) {
    const ratio = (a: number | null, b: number | null) =>
      a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100;
    console.log(
      `${large.tasks / small.tasks}x the rows: peak RSS ${ratio(large.peakMb, small.peakMb)}x, ` +
        `growth during the job ${ratio(large.growthMb, small.growthMb)}x`,
    );
  }
  mkdirSync(path.join(REPO_ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    path.join(REPO_ROOT, "bench/results/report-export.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
});
