/**
 * The `id` app's host (id.<domain>, the OpenID provider) through what
 * `marg infra:render` writes, run for real: a loopback phase 3 inventory whose
 * apps include `id`, rendered by the real CLI with TLS on at HAProxy; HAProxy
 * over the rendered haproxy.cfg and nginx over each http server's rendered
 * sites; small Node servers stand at every app's port on each http server and
 * answer with what reached them. Checks the routing by Host, the headers an
 * OpenID provider behind a proxy needs (X-Forwarded-Proto https,
 * X-Forwarded-Host), that /.well-known/ and POST /token pass uncached with
 * their Cache-Control, and that the certbot list and .env.shared name the host.
 * Reads and writes only a temp folder; the rendered configs are not edited.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { HaproxyRuntime } from "@marg/deploy";
import { freePort, makeSelfSignedCertificate, runTool, waitFor } from "@marg/deploy/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { REPO_ROOT, type RunningProcess, startProcess } from "../support/spawn-process.js";
import { FLEET_DOMAIN, writeLoopbackInventory } from "./support/loopback-inventory.js";
import { marg } from "./support/rendered-fleet.js";

const APPS = ["flow", "links", "admin", "id"] as const;
const HTTP_SERVERS = ["http-1", "http-2"] as const;

interface Seen {
  readonly app: string;
  readonly server: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly bodyBytes: number;
  /** How many POST /token this app's server has answered, this one included. */
  readonly tokenCalls: number;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** An app's stand-in: answers every request with what reached it; /token as an OpenID provider would (no-store). */
function startUpstream(app: string, server: string, address: string, port: number): Promise<Server> {
  let tokenCalls = 0;
  const upstream = createServer((req, res) => {
    let bodyBytes = 0;
    req.on("data", (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    req.on("end", () => {
      const isToken = req.method === "POST" && req.url === "/token";
      if (isToken) tokenCalls += 1;
      const seen: Seen = {
        app,
        server,
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        bodyBytes,
        tokenCalls,
      };
      res.writeHead(200, {
        "content-type": "application/json",
        ...(isToken ? { "cache-control": "no-store", pragma: "no-cache" } : {}),
      });
      res.end(JSON.stringify(seen));
    });
  });
  return new Promise((resolve, reject) => {
    upstream.once("error", reject);
    upstream.listen(port, address, () => resolve(upstream));
  });
}

/** Debian's nginx.conf in miniature, including one server's rendered sites. */
function nginxConf(dir: string, sites: string, server: string): string {
  const prefix = path.join(dir, `nginx-${server}`);
  mkdirSync(prefix, { recursive: true });
  const file = path.join(prefix, "nginx.conf");
  writeFileSync(
    file,
    [
      "user root;",
      "worker_processes 1;",
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log warn;`,
      "events { worker_connections 128; }",
      "http {",
      `    access_log ${prefix}/access.log;`,
      `    client_body_temp_path ${prefix}/body;`,
      `    proxy_temp_path ${prefix}/proxy;`,
      `    include ${sites}/*.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

describe("the id host through the rendered HAProxy and nginx", () => {
  const temp = createTempDir("id-host");
  const out = path.join(temp.path, "out");
  const running: RunningProcess[] = [];
  const upstreams: Server[] = [];
  let lb = { address: "", port: 0, httpsPort: 0 };
  let installRoot = "";

  /** One request to the load balancer, over TLS unless `plain`, as a browser on `host` sends it. */
  function send(
    host: string,
    pathname: string,
    options: { method?: string; body?: string; plain?: boolean } = {},
  ): Promise<Answer> {
    const plain = options.plain === true;
    return new Promise((resolve, reject) => {
      const send = plain ? httpRequest : httpsRequest;
      const req = send(
        {
          host: lb.address,
          port: plain ? lb.port : lb.httpsPort,
          ...(plain ? {} : { servername: host, rejectUnauthorized: false }),
          method: options.method ?? "GET",
          path: pathname,
          headers: {
            host,
            ...(options.body === undefined
              ? {}
              : {
                  "content-type": "application/x-www-form-urlencoded",
                  "content-length": String(Buffer.byteLength(options.body)),
                }),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on("error", reject);
      req.end(options.body);
    });
  }

  const seen = (answer: Answer) => JSON.parse(answer.body) as Seen;

  beforeAll(async () => {
    const inventory = await writeLoopbackInventory(temp.path, {
      processManager: "supervisor",
      smtpPort: await freePort(),
    });
    const certificate = makeSelfSignedCertificate(temp.path, FLEET_DOMAIN);
    const data = parse(readFileSync(inventory.file, "utf8")) as {
      apps: { name: string; port: number; database: string }[];
      haproxy: { httpsPort: number };
      tls: Record<string, unknown>;
    };
    // The one line an operator adds for the id app, and TLS on (the provider's issuer is https).
    data.apps.push({ name: "id", port: await freePort(), database: `${data.apps[0]?.database}_id` });
    data.tls = {
      enabled: true,
      email: `ops@${FLEET_DOMAIN}`,
      certificateDir: certificate.certificateDir,
      haproxyCertificate: certificate.combined,
    };
    writeFileSync(inventory.file, stringify(data));
    installRoot = inventory.installRoot;
    lb = { address: inventory.lb.address, port: inventory.lb.port, httpsPort: data.haproxy.httpsPort };

    const rendered = await marg(temp.path, ["infra:render", "--inventory", inventory.file, "--out", out]);
    expect(rendered.code, rendered.output).toBe(0);

    for (const server of inventory.http) {
      for (const app of data.apps) {
        upstreams.push(await startUpstream(app.name, server.name, server.address, app.port));
      }
      running.push(
        startProcess("nginx", [
          "-p",
          `${temp.path}/`,
          "-c",
          nginxConf(temp.path, path.join(out, server.name, "etc/nginx/sites-available"), server.name),
          "-g",
          "daemon off;",
        ]),
      );
    }
    running.push(startProcess("haproxy", ["-db", "-f", path.join(out, "lb-1/etc/haproxy/haproxy.cfg")]));
    const runtime = new HaproxyRuntime(inventory.lb.socket);
    await waitFor(
      "every app, id included, UP in HAProxy on both http servers",
      async () => {
        const stats = await Promise.all(
          APPS.flatMap((app) => HTTP_SERVERS.map((server) => runtime.stat(`app_${app}`, server))),
        ).catch(() => []);
        return stats.length === APPS.length * HTTP_SERVERS.length && stats.every((s) => s.status === "UP");
      },
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    for (const process of running) await process.stop(5_000);
    await Promise.all(upstreams.map((server) => new Promise((resolve) => server.close(resolve))));
    temp.remove();
  });

  const idHost = `id.${FLEET_DOMAIN}`;

  it("renders configs nginx -t and haproxy -c accept, with a site, a backend and a certificate name for the id host", () => {
    const haproxyCfg = path.join(out, "lb-1/etc/haproxy/haproxy.cfg");
    const check = runTool("haproxy", ["-c", "-f", haproxyCfg]);
    expect(check.status, check.output).toBe(0);
    const cfg = readFileSync(haproxyCfg, "utf8");
    expect(cfg).toContain(`use_backend app_id if { req.hdr(host),field(1,:) -i ${idHost} }`);
    expect(cfg).toContain(`http-check send hdr Host ${idHost}`);
    for (const server of HTTP_SERVERS) {
      const sites = path.join(out, server, "etc/nginx/sites-available");
      const site = readFileSync(path.join(sites, "marg-id.conf"), "utf8");
      expect(site).toContain(`server_name ${idHost};`);
      const prefix = path.join(temp.path, `nginx-t-${server}`);
      mkdirSync(prefix, { recursive: true });
      const test = runTool("nginx", [
        "-t",
        "-p",
        `${prefix}/`,
        "-c",
        nginxConf(temp.path, sites, `t-${server}`),
      ]);
      expect(test.status, test.output).toBe(0);
    }
  });

  it("puts the id host on the certificate marg-certbot fetches (phase 2 and phase 3 inventories)", async () => {
    for (const [example, tlsEnd] of [
      ["phase2-four-servers", "http-1"],
      ["phase3-horizontal", "lb-1"],
    ] as const) {
      // The shipped inventory with the one added line (loopback fleets get no certbot: no certificate for them).
      const data = parse(
        readFileSync(path.join(REPO_ROOT, "deploy/inventories", `${example}.yml`), "utf8"),
      ) as {
        apps: { name: string; port: number; database: string }[];
      };
      data.apps.push({ name: "id", port: 8004, database: "marg_id" });
      const file = path.join(temp.path, `${example}.yml`);
      writeFileSync(file, stringify(data));
      const target = path.join(temp.path, `out-${example}`);
      const rendered = await marg(temp.path, ["infra:render", "--inventory", file, "--out", target]);
      expect(rendered.code, rendered.output).toBe(0);
      const certbot = readFileSync(path.join(target, tlsEnd, "usr/local/sbin/marg-certbot"), "utf8");
      for (const app of ["flow", "links", "admin", "id"]) expect(certbot).toContain(`-d ${app}.marg.test`);
    }
  }, 60_000);

  it("names the id app in MARG_APPS and gives it its https URL", () => {
    const rendered = (file: string) => readFileSync(path.join(out, "http-1", installRoot, file), "utf8");
    expect(rendered(".env.shared")).toMatch(/^MARG_APPS=flow,links,admin,id$/m);
    expect(rendered("apps/id/.env")).toMatch(
      new RegExp(`^APP_URL=https://${idHost.replaceAll(".", "\\.")}$`, "m"),
    );
  });

  it("routes id.<domain> to the id app, with the headers a proxied OpenID provider builds its URLs from", async () => {
    const answer = await send(idHost, "/.well-known/openid-configuration");
    expect(answer.status).toBe(200);
    const reached = seen(answer);
    expect(reached.app).toBe("id");
    expect(reached.url).toBe("/.well-known/openid-configuration");
    expect(reached.headers.host).toBe(idHost);
    expect(reached.headers["x-forwarded-proto"]).toBe("https");
    expect(reached.headers["x-forwarded-host"]).toBe(idHost);
    expect(reached.headers["x-forwarded-for"]).toBe("127.0.0.1");
    // Other hosts still reach their own app, and a host no app serves reaches none.
    expect(seen(await send(`flow.${FLEET_DOMAIN}`, "/")).app).toBe("flow");
    expect((await send(`ghost.${FLEET_DOMAIN}`, "/")).status).toBe(404);
  });

  it("passes every POST /token to the app, never a cached answer, with its Cache-Control", async () => {
    const body = "grant_type=authorization_code&code=never-logged&code_verifier=x";
    const first = await send(idHost, "/token", { method: "POST", body });
    const second = await send(idHost, "/token", { method: "POST", body });
    expect(first.headers["cache-control"]).toBe("no-store");
    expect(first.headers.pragma).toBe("no-cache");
    const calls = [seen(first), seen(second)];
    expect(calls.map((call) => call.method)).toEqual(["POST", "POST"]);
    expect(calls.every((call) => call.bodyBytes === Buffer.byteLength(body))).toBe(true);
    // Round robin over two servers, each counting its own: both requests reached an app.
    const total = calls.map((call) => `${call.server}:${call.tokenCalls}`);
    expect(new Set(total).size).toBe(2);
  });

  it("takes a large form post (a request object or long logout form) and redirects plain HTTP to https", async () => {
    const big = `request=${"a".repeat(512 * 1024)}`;
    const answer = await send(idHost, "/auth", { method: "POST", body: big });
    expect(answer.status).toBe(200);
    expect(seen(answer).bodyBytes).toBe(big.length);
    const plain = await send(idHost, "/.well-known/openid-configuration", { plain: true });
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe(`https://${idHost}/.well-known/openid-configuration`);
  });
});
