import { describe, expect, it } from "vitest";
import { PUBLIC_ONLY, privateTargetReason, refusedTargetReason } from "./private-target.js";

const REFUSED: ReadonlyArray<[input: string, kind: string]> = [
  ["http://127.0.0.1/", "loopback"],
  ["http://127.9.9.9:8080/x", "loopback"],
  ["http://2130706433/", "loopback"],
  ["http://0x7f.1/", "loopback"],
  ["http://017700000001/", "loopback"],
  ["http://127.1/", "loopback"],
  ["http://[::1]/", "loopback"],
  ["http://[::ffff:127.0.0.1]/", "loopback"],
  ["http://[0:0:0:0:0:ffff:7f00:1]/", "loopback"],
  ["http://[::127.0.0.1]/", "IPv4-compatible"],
  ["http://10.0.0.1/", "private"],
  ["http://172.16.0.1/", "private"],
  ["http://172.31.255.254/", "private"],
  ["http://192.168.1.1/", "private"],
  ["http://0xc0a80101/", "private"],
  ["http://[fc00::1]/", "private"],
  ["http://[fd12:3456::1]/", "private"],
  ["http://[::ffff:10.0.0.1]/", "private"],
  ["http://169.254.1.1/", "link-local"],
  ["http://[fe80::1]/", "link-local"],
  ["http://169.254.169.254/latest/meta-data/", "metadata"],
  ["http://[fd00:ec2::254]/", "metadata"],
  ["http://metadata.google.internal/computeMetadata/v1/", "metadata"],
  ["http://METADATA.google.internal./", "metadata"],
  ["http://0.0.0.0/", "unspecified"],
  ["http://0/", "unspecified"],
  ["http://[::]/", "unspecified"],
  ["http://localhost:3000/", "this computer"],
  ["http://LOCALHOST./", "this computer"],
  ["http://app.localhost/", "this computer"],
  ["http://224.0.0.1/", "multicast"],
];

const ALLOWED = [
  "https://example.com/",
  "http://8.8.8.8/",
  "http://172.32.0.1/",
  "http://192.169.0.1/",
  "http://[2001:4860:4860::8888]/",
  "http://[::ffff:8.8.8.8]/",
  "https://localhost.example.com/",
  "https://10.example.com/",
];

describe("private short-link targets", () => {
  it.each(REFUSED)("refuses %s as %s", (input, kind) => {
    expect(privateTargetReason(new URL(input))).toContain(kind);
  });

  it.each(ALLOWED)("lets %s through", (input) => {
    expect(privateTargetReason(new URL(input))).toBeUndefined();
  });
});

describe("a links process's target policy", () => {
  const own = { allowPrivate: false, ownOrigins: new Set(["http://flow.marg.localhost:8000"]) };

  it("allows MARG's own apps, even on the laptop's loopback names, and nothing else private", () => {
    expect(refusedTargetReason("http://flow.marg.localhost:8000/tasks", own)).toBeUndefined();
    expect(refusedTargetReason("http://flow.marg.localhost:9000/tasks", own)).toContain("this computer");
    expect(refusedTargetReason("http://admin.marg.localhost:8000/", own)).toContain("this computer");
  });

  it("allows every target when LINKS_ALLOW_PRIVATE_TARGETS is on, and refuses them by default", () => {
    expect(refusedTargetReason("http://10.0.0.1/", { ...PUBLIC_ONLY, allowPrivate: true })).toBeUndefined();
    expect(refusedTargetReason("http://10.0.0.1/", PUBLIC_ONLY)).toContain("private network address");
  });
});
