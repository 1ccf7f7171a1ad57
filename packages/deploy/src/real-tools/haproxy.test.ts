import { writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { type RenderedFleet, renderToTemp, tweakExample } from "../testing/example-fleets.js";
import { runTool } from "../testing/run-tool.js";
import { makeSelfSignedCertificate } from "../testing/self-signed-cert.js";

const temp = createTempDir("deploy-haproxy");
const certificate = makeSelfSignedCertificate(temp.path, "marg.test");
const rendered: RenderedFleet[] = [];

function render(name: "phase3-horizontal" | "phase4-ha", tls: boolean): RenderedFleet {
  const fleet = tweakExample(name, (inventory) => {
    inventory.tls.enabled = tls;
    inventory.tls.haproxyCertificate = certificate.combined;
  });
  const result = renderToTemp(fleet, "haproxy");
  rendered.push(result);
  return result;
}

afterAll(() => {
  for (const result of rendered) result.remove();
  temp.remove();
});

describe("haproxy -c on the rendered haproxy.cfg", () => {
  const cases = [
    { name: "phase3-horizontal" as const, tls: true },
    { name: "phase3-horizontal" as const, tls: false },
    { name: "phase4-ha" as const, tls: true },
  ];
  for (const { name, tls } of cases) {
    it(`accepts ${name}'s config on every load balancer (TLS ${tls ? "on" : "off, before certbot"})`, () => {
      const result = render(name, tls);
      expect(result.fleet.lbs.length).toBeGreaterThan(0);
      for (const lb of result.fleet.lbs) {
        const check = runTool("haproxy", ["-c", "-f", result.file(`${lb.name}/etc/haproxy/haproxy.cfg`)]);
        expect(check.status, check.output).toBe(0);
        expect(check.output).toContain("Configuration file is valid");
      }
    });
  }

  it("rejects a config with a mistake, so a pass above means something", () => {
    const broken = path.join(temp.path, "broken.cfg");
    writeFileSync(broken, "defaults\n    mode http\n    balance sometimes\n");
    const check = runTool("haproxy", ["-c", "-f", broken]);
    expect(check.status).not.toBe(0);
  });
});
