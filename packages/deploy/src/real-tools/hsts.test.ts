/**
 * HSTS as the rendered TLS configs really send it: phase 2's nginx site and
 * phase 3's HAProxy config, rendered with TLS on and a throwaway certificate,
 * run by the real nginx and HAProxy (only listen/bind addresses, HAProxy's
 * daemon/chroot/user/socket/log lines and its app servers, pointed at a closed
 * loopback port, changed to what a test may use), then asked over HTTPS. Writes only temp folders.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../test/support/free-port.js";
import { type RunningProcess, startProcess } from "../../../../test/support/spawn-process.js";
import { waitForPort } from "../../../../test/support/wait-for-port.js";
import { appHost } from "../fleet/fleet.js";
import { type RenderedFleet, renderToTemp, tweakExample } from "../testing/example-fleets.js";
import { makeSelfSignedCertificate } from "../testing/self-signed-cert.js";

const HSTS = "max-age=31536000; includeSubDomains";
const temp = createTempDir("deploy-hsts");
chmodSync(temp.path, 0o755);
const certificate = makeSelfSignedCertificate(temp.path, "marg.test");
const rendered: RenderedFleet[] = [];
const running: RunningProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((process) => process.stop(3_000)));
  for (const result of rendered) result.remove();
  temp.remove();
});

/** GET https://127.0.0.1:port/ with SNI and Host `host`; the certificate is self-signed. */
function httpsGet(port: number, host: string): Promise<{ status: number; hsts: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/", servername: host, headers: { host }, rejectUnauthorized: false },
      (res) => {
        res.resume();
        res.on("end", () => {
          const hsts = res.headers["strict-transport-security"];
          resolve({ status: res.statusCode ?? 0, hsts: typeof hsts === "string" ? hsts : undefined });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function start(command: string, args: readonly string[], port: number): Promise<void> {
  const process = startProcess(command, args);
  running.push(process);
  await waitForPort(port, process, 15_000);
}

describe("HSTS with includeSubDomains, sent by the real proxies", () => {
  it("nginx (phase 2, TLS on) sends it on the HTTPS site, even when the app is down (502)", async () => {
    const result = renderToTemp(
      tweakExample("phase2-four-servers", (inventory) => {
        inventory.tls.enabled = true;
        inventory.tls.certificateDir = certificate.certificateDir;
      }),
      "hsts-nginx",
    );
    rendered.push(result);
    const server = result.fleet.https[0];
    if (server === undefined) throw new Error("phase 2 has no http server");
    const site = readFileSync(result.file(`${server.name}/etc/nginx/sites-available/marg-flow.conf`), "utf8");
    const [http, https] = [await freePort(), await freePort()];
    const prefix = path.join(temp.path, "nginx");
    mkdirSync(path.join(prefix, "temp"), { recursive: true });
    const local = site
      .replace(/^\s*listen \[::\]:\d+.*$/gm, "")
      .replace(/listen 80;/g, `listen 127.0.0.1:${http};`)
      .replace(/listen 443 ssl http2;/g, `listen 127.0.0.1:${https} ssl http2;`);
    writeFileSync(path.join(prefix, "site.conf"), local);
    writeFileSync(
      path.join(prefix, "nginx.conf"),
      [
        "daemon off;",
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/error.log;`,
        "events {}",
        "http {",
        `    access_log ${prefix}/access.log;`,
        `    client_body_temp_path ${prefix}/temp/client_body;`,
        `    proxy_temp_path ${prefix}/temp/proxy;`,
        `    fastcgi_temp_path ${prefix}/temp/fastcgi;`,
        `    uwsgi_temp_path ${prefix}/temp/uwsgi;`,
        `    scgi_temp_path ${prefix}/temp/scgi;`,
        `    include ${prefix}/site.conf;`,
        "}",
        "",
      ].join("\n"),
    );
    await start(
      "nginx",
      ["-p", `${prefix}/`, "-c", `${prefix}/nginx.conf`, "-e", `${prefix}/error.log`],
      https,
    );
    const answer = await httpsGet(https, "flow.marg.test");
    expect(answer.status).toBe(502);
    expect(answer.hsts).toBe(HSTS);
  });

  it("HAProxy (phase 3, TLS on) sends it on HTTPS answers, its own 404 and 503 included", async () => {
    const result = renderToTemp(
      tweakExample("phase3-horizontal", (inventory) => {
        inventory.tls.enabled = true;
        inventory.tls.haproxyCertificate = certificate.combined;
      }),
      "hsts-haproxy",
    );
    rendered.push(result);
    const cfg = readFileSync(result.file("lb-1/etc/haproxy/haproxy.cfg"), "utf8");
    // `closed`: nothing listens there, so every app server is down.
    const [http, https, stats, closed] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const local = cfg
      .replace(/^\s*(log \/dev\/log.*|chroot .*|user .*|group .*|daemon|stats socket .*|log global)$/gm, "")
      .replace(/bind :80\b/, `bind 127.0.0.1:${http}`)
      .replace(/bind :443 /, `bind 127.0.0.1:${https} `)
      .replace(/bind 127\.0\.0\.1:8404\b/, `bind 127.0.0.1:${stats}`)
      .replace(/^(\s*server \S+) \S+:\d+ check/gm, `$1 127.0.0.1:${closed} check`);
    const file = path.join(temp.path, "haproxy.cfg");
    writeFileSync(file, local);
    await start("haproxy", ["-db", "-f", file], https);
    const noApp = await httpsGet(https, "nothing.marg.test");
    expect(noApp.status).toBe(404);
    expect(noApp.hsts).toBe(HSTS);
    // The app servers of the inventory are not there: HAProxy answers 503 itself.
    const flow = result.fleet.apps.find((app) => app.name === "flow");
    if (flow === undefined) throw new Error("phase 3 has no flow");
    const down = await httpsGet(https, appHost(result.fleet, flow));
    expect(down.status).toBe(503);
    expect(down.hsts).toBe(HSTS);
  });
});
