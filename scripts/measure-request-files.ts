/**
 * How many of the repository's source files one signed-in GET of a flow page runs.
 *
 * Reads: nothing but the code. Writes: a temporary installation (flow on SQLite,
 * deleted at the end) and one report on stdout; `--list` adds the files, `--json`
 * prints the report as JSON.
 *
 * How: starts the real flow app in this process on a loopback socket (core's
 * startTestApp: SQLite, database queue, the default people), signs in as the super-admin, warms the page up
 * (first requests compile templates and load lazy modules), then turns on the
 * inspector's precise coverage (per-function call counts), sends one GET and counts
 * the repository files (outside node_modules, this script excluded) with any function
 * called during it. The count is taken `--runs` times (default 3) and the smallest
 * is reported, so a timer firing mid-request does not inflate it.
 *
 * Run: node --conditions=development --import tsx scripts/measure-request-files.ts [--path /tasks] [--list]
 */
import { request } from "node:http";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startTestApp, TEST_PASSWORD } from "@marg/core/testing";
import { app as flowApp } from "@marg/flow";
import { csrfTokenIn } from "../test/support/form-browser.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);

const { values } = parseArgs({
  options: {
    path: { type: "string", default: "/tasks" },
    runs: { type: "string", default: "3" },
    list: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly cookies: readonly string[];
}

/** One HTTP request with node:http (no repository code on the client side). */
function send(
  port: number,
  host: string,
  method: string,
  target: string,
  cookie: string,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: target,
        headers: {
          host,
          accept: "text/html",
          ...(cookie === "" ? {} : { cookie }),
          ...(body === undefined
            ? {}
            : {
                "content-type": "application/x-www-form-urlencoded",
                "content-length": String(Buffer.byteLength(body)),
              }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: text, cookies: res.headers["set-cookie"] ?? [] }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function mergeCookies(jar: Map<string, string>, lines: readonly string[]): string {
  for (const line of lines) {
    const pair = line.split(";")[0] ?? "";
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/** Repository files with at least one function called since the last take. */
function filesRun(coverage: Awaited<ReturnType<typeof takeCoverage>>): string[] {
  const files = new Set<string>();
  for (const script of coverage) {
    if (!script.url.startsWith("file://")) continue;
    const file = fileURLToPath(script.url);
    if (!file.startsWith(`${ROOT}/`) || file.includes("/node_modules/") || file === SELF) continue;
    if (script.functions.some((fn) => fn.ranges.some((range) => range.count > 0))) {
      files.add(path.relative(ROOT, file));
    }
  }
  return [...files].sort();
}

async function takeCoverage(session: Session) {
  const { result } = await session.post("Profiler.takePreciseCoverage");
  return result;
}

const flow = await startTestApp(flowApp, {
  label: "measure-request-files",
  env: { CACHE_STORE: "memory", QUEUE_CONNECTION: "database" },
  listen: true,
});
const session = new Session();
try {
  const port = Number(new URL(flow.url ?? "").port);
  const { host } = flow;
  const jar = new Map<string, string>();
  let cookie = "";
  const login = await send(port, host, "GET", "/login", cookie);
  cookie = mergeCookies(jar, login.cookies);
  const csrf = csrfTokenIn(login.body, "/login") ?? "";
  const form = new URLSearchParams({
    _csrf: csrf,
    email: flow.users["super-admin"].email,
    password: TEST_PASSWORD,
  });
  const signedIn = await send(port, host, "POST", "/login", cookie, form.toString());
  if (signedIn.status !== 303) throw new Error(`signing in answered ${signedIn.status}`);
  cookie = mergeCookies(jar, signedIn.cookies);
  for (let i = 0; i < 3; i += 1) {
    const warm = await send(port, host, "GET", values.path, cookie);
    if (warm.status !== 200) throw new Error(`GET ${values.path} answered ${warm.status}`);
    cookie = mergeCookies(jar, warm.cookies);
  }

  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
  let best: string[] | undefined;
  for (let run = 0; run < Number(values.runs); run += 1) {
    await takeCoverage(session); // resets the counters
    const answer = await send(port, host, "GET", values.path, cookie);
    const files = filesRun(await takeCoverage(session));
    if (answer.status !== 200) throw new Error(`GET ${values.path} answered ${answer.status}`);
    if (best === undefined || files.length < best.length) best = files;
  }
  await session.post("Profiler.stopPreciseCoverage");
  const files = best ?? [];
  if (values.json) {
    console.log(JSON.stringify({ path: values.path, files: files.length, list: files }, null, 2));
  } else {
    console.log(`signed-in GET ${values.path}: ${files.length} repository files run`);
    if (values.list) for (const file of files) console.log(`  ${file}`);
  }
} finally {
  session.disconnect();
  await flow.close();
}
