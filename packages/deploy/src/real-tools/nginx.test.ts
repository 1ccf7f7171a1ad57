import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLES, type RenderedFleet, renderToTemp, tweakExample } from "../testing/example-fleets.js";
import { runTool } from "../testing/run-tool.js";
import { makeSelfSignedCertificate } from "../testing/self-signed-cert.js";

const temp = createTempDir("deploy-nginx");
const certificate = makeSelfSignedCertificate(temp.path, "marg.test");
const rendered: RenderedFleet[] = [];

function render(name: (typeof EXAMPLES)[number], tls?: boolean): RenderedFleet {
  const fleet = tweakExample(name, (inventory) => {
    if (tls !== undefined) inventory.tls.enabled = tls;
    inventory.tls.certificateDir = certificate.certificateDir;
  });
  const result = renderToTemp(fleet, "nginx");
  rendered.push(result);
  return result;
}

/** nginx -t on a throwaway nginx.conf that includes one server's rendered sites, with temp pid/log paths. */
function nginxTest(sitesDir: string, label: string) {
  const prefix = path.join(temp.path, label);
  mkdirSync(prefix, { recursive: true });
  const conf = path.join(prefix, "nginx.conf");
  writeFileSync(
    conf,
    [
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log;`,
      "events {}",
      "http {",
      `    access_log ${prefix}/access.log;`,
      `    include ${sitesDir}/*.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  return runTool("nginx", ["-t", "-p", `${prefix}/`, "-c", conf]);
}

afterAll(() => {
  for (const result of rendered) result.remove();
  temp.remove();
});

describe("nginx -t on every rendered site", () => {
  const cases = [
    ...EXAMPLES.map((name) => ({ name, tls: undefined as boolean | undefined, label: name })),
    // Phase 2 once the certificate exists: nginx itself terminates TLS.
    { name: "phase2-four-servers" as const, tls: true, label: "phase2-with-tls" },
  ];
  for (const { name, tls, label } of cases) {
    it(`accepts the sites of ${label} on every http server`, () => {
      const result = render(name, tls);
      for (const server of result.fleet.https) {
        const check = nginxTest(
          result.file(`${server.name}/etc/nginx/sites-available`),
          `${label}-${server.name}`,
        );
        expect(check.status, check.output).toBe(0);
        expect(check.output).toContain("test is successful");
      }
    });
  }

  it("rejects a site with a mistake, so a pass above means something", () => {
    const dir = path.join(temp.path, "broken-sites");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "broken.conf"), "server { listen 80; proxy_pass_nowhere on; }\n");
    const check = nginxTest(dir, "broken");
    expect(check.status).not.toBe(0);
    expect(check.output).toContain("unknown directive");
  });
});
