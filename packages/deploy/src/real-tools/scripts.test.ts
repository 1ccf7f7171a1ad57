import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLES, loadExample, type RenderedFleet, renderToTemp } from "../testing/example-fleets.js";
import { hasCommand, runTool } from "../testing/run-tool.js";

const rendered = EXAMPLES.map((name) => ({ name, result: renderToTemp(loadExample(name).fleet, "scripts") }));
const temp = createTempDir("deploy-scripts");

afterAll(() => {
  for (const { result } of rendered) result.remove();
  temp.remove();
});

function scripts(result: RenderedFleet) {
  return result.files.filter((file) => file.content.startsWith("#!/usr/bin/env bash"));
}

describe("bash -n on every rendered script", () => {
  for (const { name, result } of rendered) {
    it(`parses every script of ${name} (install.sh, ufw, certbot, backups, HAProxy)`, () => {
      const all = scripts(result);
      expect(all.length).toBeGreaterThanOrEqual(result.fleet.servers.length * 2);
      for (const file of all) {
        const check = runTool("bash", ["-n", result.file(file.path)]);
        expect(check.status, `${file.path}: ${check.output}`).toBe(0);
        expect(file.mode, file.path).toBe(0o755);
      }
    });
  }

  it("catches a script with a syntax error, so a pass above means something", () => {
    const check = runTool("bash", ["-n"], { input: "if true; then\n  echo missing fi\n" });
    expect(check.status).not.toBe(0);
  });
});

const systemdAnalyze = hasCommand("systemd-analyze");
if (!systemdAnalyze) {
  // Visible in the run, not silently green.
  console.warn("skipping systemd-analyze verify: systemd-analyze is not installed on this machine");
}

describe.skipIf(!systemdAnalyze)("systemd-analyze verify on every rendered unit", () => {
  const withUnits = rendered.filter(
    ({ result }) => result.fleet.inventory.install.processManager === "systemd",
  );
  for (const { name, result } of withUnits) {
    it(`verifies the units of ${name}, one server at a time`, () => {
      for (const server of result.fleet.servers) {
        const units = result.files
          .filter((file) => file.path.startsWith(`${server.name}/`) && /\.(service|target)$/.test(file.path))
          .map((file) => result.file(file.path));
        if (units.length === 0) continue;
        const check = runTool("systemd-analyze", ["verify", ...units]);
        expect(check.status, `${server.name}: ${check.output}`).toBe(0);
      }
    });
  }

  it("fails on a unit with a mistake, so a pass above means something", () => {
    const file = `${temp.path}/broken.service`;
    const check = runTool("sh", [
      "-c",
      `printf '[Service]\\nExecStart=relative/node app.js\\n' > ${file} && systemd-analyze verify ${file}`,
    ]);
    expect(check.status).not.toBe(0);
  });
});

describe("supervisor programs", () => {
  // supervisord is not installed here; its files are INI read by Python's configparser.
  const python = hasCommand("python3");
  const withSupervisor = rendered.filter(
    ({ result }) => result.fleet.inventory.install.processManager === "supervisor",
  );
  for (const { name, result } of withSupervisor) {
    const confs = result.files.filter((file) => file.path.endsWith("supervisor/conf.d/marg.conf"));
    it.skipIf(!python)(`parse as INI with every program complete in ${name}`, () => {
      expect(confs.length).toBeGreaterThan(0);
      for (const conf of confs) {
        const script = [
          "import configparser, sys",
          "p = configparser.RawConfigParser()",
          "p.read(sys.argv[1])",
          "for s in p.sections():",
          "    if s.startswith('program:'):",
          "        for k in ('command', 'user', 'numprocs', 'stopwaitsecs', 'stopasgroup', 'killasgroup'):",
          "            assert p.has_option(s, k), s + ' lacks ' + k",
          "print(len(p.sections()))",
        ].join("\n");
        const check = runTool("python3", ["-c", script, result.file(conf.path)]);
        expect(check.status, check.output).toBe(0);
      }
    });
  }
});
