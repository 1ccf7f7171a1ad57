import { BlockList, isIP } from "node:net";
import { MargError } from "../errors/marg-error.js";

/** Decides whether a client address is on a list of IPs and CIDRs. */
export type AddressAllowList = (address: string | undefined) => boolean;

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is checked as `10.0.0.1`. */
function normalize(address: string): { address: string; family: "ipv4" | "ipv6" } | undefined {
  const unmapped = address.toLowerCase().startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(unmapped) === 4) return { address: unmapped, family: "ipv4" };
  if (isIP(address) === 6) return { address, family: "ipv6" };
  return undefined;
}

/** True when `entry` is an IP address or a CIDR like `10.0.0.0/8` or `fd00::/8`. */
export function isAddressOrCidr(entry: string): boolean {
  const [ip = "", bits, extra] = entry.trim().split("/");
  const version = isIP(ip);
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  return version !== 0 && extra === undefined && Number.isInteger(prefix) && prefix >= 0 && prefix <= max;
}

/**
 * Compiles IPs and CIDRs (METRICS_ALLOW, `marg down --allow`) into one check.
 * Throws `E_CONFIG_INVALID` naming `source` and the entry it cannot read.
 *
 * @example
 * const allowed = createAddressAllowList(["127.0.0.1", "10.0.0.0/8"], "METRICS_ALLOW");
 * allowed(request.ip); // request.ip already honours TRUSTED_PROXIES
 */
export function createAddressAllowList(entries: readonly string[], source: string): AddressAllowList {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (!isAddressOrCidr(entry)) {
      throw new MargError(
        "E_CONFIG_INVALID",
        `${source} entry "${entry}" is not an IP address or CIDR (like 10.0.0.0/8). Fix ${source}.`,
      );
    }
    const [ip = "", bits] = entry.split("/");
    const family = isIP(ip) === 4 ? "ipv4" : "ipv6";
    list.addSubnet(ip, bits === undefined ? (family === "ipv4" ? 32 : 128) : Number(bits), family);
  }
  return (address) => {
    if (address === undefined) return false;
    const client = normalize(address);
    return client !== undefined && list.check(client.address, client.family);
  };
}
