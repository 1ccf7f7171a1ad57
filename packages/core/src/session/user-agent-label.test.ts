import { describe, expect, it } from "vitest";
import { deviceAt, MAX_USER_AGENT, storedDevice } from "./session-device.js";
import { describeUserAgent } from "./user-agent-label.js";

describe("describeUserAgent", () => {
  it.each([
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      { browser: "Chrome 131", os: "Windows 10" },
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
      { browser: "Firefox 133", os: "Linux" },
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      { browser: "Safari 17", os: "iOS 17.5" },
    ],
  ])("names the browser and system of %s", (ua, expected) => {
    expect(describeUserAgent(ua)).toEqual(expected);
  });

  it("says unknown for no user agent, an empty one, or one it cannot read", () => {
    const unknown = { browser: "Unknown browser", os: "Unknown system" };
    expect(describeUserAgent(null)).toEqual(unknown);
    expect(describeUserAgent("   ")).toEqual(unknown);
    expect(describeUserAgent("\u0000\u0001 garbage")).toEqual(unknown);
  });
});

describe("the device a sign-in records", () => {
  it("keeps the app and address, and cuts a huge user agent to its bound", () => {
    const device = deviceAt("flow", { headers: { "user-agent": "x".repeat(10_000) }, ip: "10.0.0.7" });
    expect(device).toEqual({ app: "flow", ua: "x".repeat(MAX_USER_AGENT), ip: "10.0.0.7" });
    expect(deviceAt("links", { headers: {}, ip: "::1" })).toEqual({ app: "links", ua: "", ip: "::1" });
  });

  it("reads back only a value of the stored shape", () => {
    expect(storedDevice({ app: "flow", ua: "u", ip: "1.2.3.4" })).toEqual({
      app: "flow",
      ua: "u",
      ip: "1.2.3.4",
    });
    expect(storedDevice("flow")).toBeNull();
    expect(storedDevice({ app: "flow" })).toBeNull();
    expect(storedDevice(null)).toBeNull();
  });
});
