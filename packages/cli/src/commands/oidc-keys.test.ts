import { Writable } from "node:stream";
import { hostFetch, type IdTestApp, startIdTestApp } from "@marg/id/testing";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliContext } from "../cli-context.js";
import { createOutput } from "../output.js";
import { registerOidcKeys } from "./oidc-keys.js";

async function marg(root: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      stdout += String(chunk);
      done();
    },
  });
  const ctx = createCliContext({
    root,
    env: {},
    output: (json) => createOutput({ json, stdout: sink, stderr: sink }),
  });
  const program = new Command("marg").exitOverride();
  registerOidcKeys(program, ctx);
  await program.parseAsync(["node", "marg", ...args]);
  return { code: ctx.exitCode, stdout };
}

describe("marg oidc:keys", () => {
  let t: IdTestApp;
  beforeAll(async () => {
    t = await startIdTestApp({ label: "cli-oidc-keys" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("rotates the installation's signing keys; the id app serves the new ones beside the old", async () => {
    const jwks = async () =>
      ((await (await hostFetch(t.ports)(`${t.issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
        (key) => key.kid,
      );
    const before = await jwks();
    const rotated = await marg(t.root, "oidc:keys", "rotate", "--json");
    expect(rotated.code).toBe(0);
    const kids = (JSON.parse(rotated.stdout) as { rotated: string[] }).rotated;
    expect(kids).toHaveLength(2);
    await t.services.runtime.reload();
    expect(await jwks()).toEqual(expect.arrayContaining([...before, ...kids]));
    const listed = await marg(t.root, "oidc:keys", "list");
    for (const kid of [...before, ...kids]) expect(listed.stdout).toContain(kid);
    expect(listed.stdout).toMatch(/current/);
    expect(listed.stdout).toMatch(/retired/);
  });

  it("refuses an unknown action with the usage exit code", async () => {
    expect((await marg(t.root, "oidc:keys", "burn")).code).toBe(2);
  });
});
