import Bowser from "bowser";

/** A user agent as a person reads it. */
export interface UserAgentLabel {
  /** "Chrome 131", "Firefox 133", or "Unknown browser". */
  readonly browser: string;
  /** "macOS 14.5", "Windows 10", "Linux", or "Unknown system". */
  readonly os: string;
}

/**
 * Names the browser and system of a user agent with bowser (a maintained parser;
 * user-agent strings are too irregular to match by hand). Only the major browser
 * version is kept: the rest changes every week and says nothing to a person.
 */
export function describeUserAgent(userAgent: string | null): UserAgentLabel {
  if (userAgent === null || userAgent.trim() === "") {
    return { browser: "Unknown browser", os: "Unknown system" };
  }
  const parsed = Bowser.parse(userAgent);
  const name = parsed.browser.name ?? "";
  const major = (parsed.browser.version ?? "").split(".")[0] ?? "";
  const system = [parsed.os.name ?? "", parsed.os.versionName ?? parsed.os.version ?? ""]
    .filter((part) => part !== "")
    .join(" ");
  return {
    browser: name === "" ? "Unknown browser" : major === "" ? name : `${name} ${major}`,
    os: system === "" ? "Unknown system" : system,
  };
}
