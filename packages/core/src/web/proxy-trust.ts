import { BlockList, isIP } from "node:net";
import { MargError } from "../errors/index.js";

/** Decides whether a peer address is one of the proxies whose X-Forwarded-* and X-Request-Id are believed. */
export type ProxyTrust = (address: string | undefined) => boolean;

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is checked as `10.0.0.1`. */
function normalize(address: string): { address: string; family: "ipv4" | "ipv6" } | undefined {
  const unmapped = address.toLowerCase().startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(unmapped) === 4) return { address: unmapped, family: "ipv4" };
  if (isIP(address) === 6) return { address, family: "ipv6" };
  return undefined;
}

/**
 * Compiles TRUSTED_PROXIES (IPs and CIDRs, e.g. `127.0.0.1, 10.0.0.0/8, fd00::/8`)
 * into one check. The same check feeds Fastify's `trustProxy` (which then reads
 * X-Forwarded-For) and the request-id rule, so the two can never disagree.
 * Throws `E_CONFIG_INVALID` naming the entry it cannot read.
 */
export function createProxyTrust(entries: readonly string[]): ProxyTrust {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === "") continue;
    const [ip = "", bits, extra] = entry.split("/");
    const version = isIP(ip);
    const max = version === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (version === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new MargError(
        "E_CONFIG_INVALID",
        `TRUSTED_PROXIES entry "${entry}" is not an IP address or CIDR (like 10.0.0.0/8). Fix TRUSTED_PROXIES.`,
      );
    }
    list.addSubnet(ip, prefix, version === 4 ? "ipv4" : "ipv6");
  }
  return (address) => {
    if (address === undefined) return false;
    const peer = normalize(address);
    return peer !== undefined && list.check(peer.address, peer.family);
  };
}
