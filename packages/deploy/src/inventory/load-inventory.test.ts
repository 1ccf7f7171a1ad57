import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isMargError } from "@marg/core/errors";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { EXAMPLES, examplePath, REPO_ROOT } from "../testing/example-fleets.js";
import { loadInventory, parseInventory } from "./load-inventory.js";

const temp = createTempDir("deploy-inventory");
afterAll(() => temp.remove());

type Data = Record<string, unknown> & { servers: Record<string, unknown>[]; apps: Record<string, unknown>[] };

/** An example as the YAML says it, to break on purpose. */
function raw(name: (typeof EXAMPLES)[number]): Data {
  return parse(readFileSync(examplePath(name), "utf8")) as Data;
}
const phase2 = () => raw("phase2-four-servers");

function problems(source: unknown, label = "fleet.yml"): string {
  const text = typeof source === "string" ? source : stringify(source);
  try {
    parseInventory(text, label);
  } catch (error) {
    if (
      isMargError(error) &&
      (error.code === "E_INVENTORY_INVALID" || error.code === "E_INVENTORY_UNREADABLE")
    ) {
      return error.message;
    }
    throw error;
  }
  throw new Error("expected the inventory to be refused");
}

describe("loading an inventory", () => {
  it("accepts the four example phases and deploy/inventory.example.yml", () => {
    for (const name of EXAMPLES)
      expect(loadInventory(examplePath(name)).fleet.servers.length).toBeGreaterThan(0);
    expect(loadInventory(path.join(REPO_ROOT, "deploy/inventory.example.yml")).inventory).toEqual(
      loadInventory(examplePath("phase2-four-servers")).inventory,
    );
  });

  it("reads JSON as well as YAML", () => {
    const file = path.join(temp.path, "fleet.json");
    writeFileSync(file, JSON.stringify(phase2(), null, 2));
    expect(loadInventory(file).fleet.https.map((server) => server.name)).toEqual(["http-1"]);
  });

  it("names the path, line, allowed values and a likely fix for an unknown role", () => {
    const inventory = phase2();
    inventory.servers[2] = { ...inventory.servers[2], roles: ["db"] };
    const message = problems(inventory);
    expect(message).toContain("servers[2].roles[0] (line");
    expect(message).toContain(
      'unknown role "db"; expected one of lb, http, worker, redis, redis-cache, sentinel, mysql-primary, mysql-replica',
    );
  });

  it("suggests the key a typo meant", () => {
    const inventory = phase2();
    inventory.servers[0] = { name: "http-1", adress: "192.168.1.10", roles: ["http"] };
    const message = problems(inventory);
    expect(message).toContain("servers[0].adress");
    expect(message).toContain('did you mean "address"?');
    expect(message).toContain("servers[0].address");
    expect(message).toContain("is missing");
  });

  it("refuses two servers on one address, and two apps on one port", () => {
    const inventory = phase2();
    inventory.servers[1] = { ...inventory.servers[1], address: "192.168.1.10" };
    inventory.apps[1] = { ...inventory.apps[1], port: 8001 };
    const message = problems(inventory);
    expect(message).toContain("servers[1].address");
    expect(message).toContain("192.168.1.10 is already used by servers[0]");
    expect(message).toContain("apps[1].port");
  });

  it("refuses a port wanted by two services on one server", () => {
    const message = problems({ ...phase2(), ssh: { port: 8001 } });
    expect(message).toContain("apps[0].port (line");
    expect(message).toContain('port 8001 on "http-1" is wanted by both SSH and app flow');
  });

  it("refuses phase 4 without three sentinels", () => {
    const inventory = raw("phase4-ha");
    const servers = inventory.servers.map((server) => ({
      ...server,
      roles: (server.roles as string[]).filter((role) => role !== "sentinel"),
    }));
    expect(problems({ ...inventory, servers })).toContain(
      "phase 4 needs at least 3 servers with role sentinel (quorum 2); found 0",
    );
  });

  it("refuses a replica without a primary", () => {
    const inventory = phase2();
    inventory.servers[3] = { ...inventory.servers[3], roles: ["mysql-replica"] };
    const message = problems(inventory);
    expect(message).toContain("servers[3].roles");
    expect(message).toContain("a mysql-replica needs a server with role mysql-primary");
  });

  it("refuses two http servers without a load balancer, and phase 3 without one", () => {
    const inventory = phase2();
    inventory.servers.push({ name: "http-2", address: "192.168.1.11", roles: ["http"] });
    expect(problems(inventory)).toContain("2 http servers need a load balancer in front");
    expect(problems({ ...phase2(), phase: 3 })).toContain("phase 3 puts HAProxy in front");
  });

  it("refuses a hostname where an address belongs, and a bad memory size", () => {
    const inventory = phase2();
    inventory.servers[2] = { ...inventory.servers[2], address: "redis.marg.internal", memory: "lots" };
    const message = problems(inventory);
    expect(message).toContain("servers[2].address");
    expect(message).toContain("expected an IP address");
    expect(message).toContain('"lots" is not a memory size; write it like 512M or 2G');
  });

  it("refuses env entries that the render owns, and names MARG does not read", () => {
    const message = problems({ ...phase2(), env: { DB_PASSWORD: "x", MAIL_MAILR: "smtp" } });
    expect(message).toContain("env.DB_PASSWORD");
    expect(message).toContain("is rendered from the servers");
    expect(message).toContain("did you mean MAIL_MAILER?");
  });

  it("refuses a worker group that serves no queue at all, and a queue no worker serves", () => {
    const none = phase2();
    none.servers[1] = { ...none.servers[1], workerQueues: [] };
    const message = problems(none);
    expect(message).toContain("servers[1].workerQueues (line");
    expect(message).toContain("is empty, so these workers would serve no queue at all");
    expect(message).toContain('no worker serves "mail", "default", "images", "reports"');
    expect(problems({ ...phase2(), workers: { queues: ["default"] } })).toContain(
      'no worker serves "mail", "images", "reports", so those jobs would never run',
    );
  });

  it("warns about a queue name no MARG job uses, suggesting the near one", () => {
    const loaded = parseInventory(
      stringify({ ...phase2(), workers: { queues: ["mail", "default", "images", "reports", "imgaes"] } }),
      "fleet.yml",
    );
    expect(loaded.warnings.join("\n")).toContain('no MARG job is dispatched to queue "imgaes"');
    expect(loaded.warnings.join("\n")).toContain("did you mean images?");
  });

  it("refuses a production fleet that does not say how mail leaves, and smtp without a host", () => {
    const { mail: _mail, ...withoutMail } = phase2();
    const message = problems(withoutMail);
    expect(message).toContain(
      "mail (line 1): is missing, so production mail (password resets) would be written to .eml files",
    );
    expect(problems({ ...phase2(), mail: { port: 465 } })).toContain("is missing while mailer is smtp");
    expect(problems({ ...phase2(), env: { MAIL_HOST: "smtp.x.test" } })).toContain(
      "set it under mail: instead",
    );
    expect(
      parseInventory(stringify({ ...withoutMail, mail: { mailer: "log" } }), "f.yml").fleet,
    ).toBeDefined();
  });

  it("refuses loopback addresses on a several-server fleet unless it is singleHost", () => {
    const inventory = phase2();
    inventory.servers = inventory.servers.map((server: object, index: number) => ({
      ...server,
      address: `127.0.3.${index + 1}`,
    }));
    expect(problems(inventory)).toContain("or set singleHost: true");
    expect(parseInventory(stringify({ ...inventory, singleHost: true }), "f.yml").fleet.servers).toHaveLength(
      4,
    );
  });

  it("warns, without refusing, when one Redis instance must hold the cache too", () => {
    const loaded = parseInventory(stringify({ ...phase2(), redis: { instances: 1 } }), "fleet.yml");
    expect(loaded.fleet.redis.cache).toBeUndefined();
    expect(loaded.warnings.join("\n")).toContain("redis.instances");
    expect(loaded.warnings.join("\n")).toContain("noeviction");
  });

  it("reports YAML syntax errors with their line, and a missing file with what to do", () => {
    expect(problems("phase: 2\nservers:\n  - name: [unclosed\n")).toMatch(/line \d+/);
    try {
      loadInventory(path.join(temp.path, "nope.yml"));
      throw new Error("expected a failure");
    } catch (error) {
      expect(isMargError(error) && error.code).toBe("E_INVENTORY_UNREADABLE");
      expect((error as Error).message).toContain("does not exist");
      expect((error as Error).message).toContain("deploy/inventory.example.yml");
    }
  });
});
