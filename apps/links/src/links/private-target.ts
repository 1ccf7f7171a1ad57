import { BlockList, isIP } from "node:net";

// Checked in this order: the first range that holds the address names it.
const RANGES: ReadonlyArray<readonly [kind: string, ranges: readonly string[]]> = [
  ["a cloud metadata address", ["169.254.169.254/32", "fd00:ec2::254/128"]],
  ["a loopback address", ["127.0.0.0/8", "::1/128"]],
  ["an unspecified address", ["0.0.0.0/8", "::/128"]],
  // ::a.b.c.d, the retired IPv4-compatible form: `[::127.0.0.1]` must not slip through.
  ["an IPv4-compatible address", ["::/96"]],
  [
    "a private network address",
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"],
  ],
  ["a link-local address", ["169.254.0.0/16", "fe80::/10"]],
  ["a multicast or broadcast address", ["224.0.0.0/4", "240.0.0.0/4", "ff00::/8"]],
];

const LISTS = RANGES.map(([kind, ranges]) => {
  const list = new BlockList();
  for (const range of ranges) {
    const [network = "", prefix = ""] = range.split("/");
    list.addSubnet(network, Number(prefix), network.includes(":") ? "ipv6" : "ipv4");
  }
  return [kind, list] as const;
});

const METADATA_NAMES = new Set(["metadata.google.internal", "metadata"]);

/**
 * Why a short link must not lead to `url`'s host, or undefined when it may: a
 * loopback, private, link-local, metadata, unspecified or multicast address, or
 * a `localhost` name. A link on a public MARG host that opens the visitor's own
 * router or a cloud metadata service lends MARG's name to an attack on them.
 *
 * The host is read from the parsed URL: WHATWG URL has already turned the odd
 * IPv4 forms (`2130706433`, `0x7f.1`, `017700000001`, `127.1`) into dotted
 * quads, and `[::ffff:127.0.0.1]` into `[::ffff:7f00:1]`, which the IPv6 ranges
 * hold (Node's BlockList matches IPv4-mapped addresses against IPv4 ranges).
 * Names that merely resolve to such addresses are not caught: MARG never fetches
 * the target, and a DNS answer at creation says nothing about the click.
 */
export function privateTargetReason(url: URL): string | undefined {
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return `leads to ${host}, this computer`;
  if (METADATA_NAMES.has(host)) return `leads to ${host}, a cloud metadata service`;
  const address = host.startsWith("[") ? host.slice(1, -1) : host;
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 6 ? "ipv6" : "ipv4";
  const found = LISTS.find(([, list]) => list.check(address, type));
  return found === undefined ? undefined : `leads to ${found[0]} (${address})`;
}

/** What a links process allows as a target (LINKS_ALLOW_PRIVATE_TARGETS and the apps' origins). */
export interface TargetPolicy {
  readonly allowPrivate: boolean;
  /**
   * The origins of MARG's own apps: always allowed, even on the laptop's
   * *.marg.localhost, since a link there leads where the visitor already is.
   */
  readonly ownOrigins: ReadonlySet<string>;
}

/** Public targets only: the default when nothing else is said. */
export const PUBLIC_ONLY: TargetPolicy = { allowPrivate: false, ownOrigins: new Set() };

/** Why `target` is refused under `policy`, or undefined when it may be a short link's target. */
export function refusedTargetReason(target: string, policy: TargetPolicy): string | undefined {
  if (policy.allowPrivate) return undefined;
  if (!URL.canParse(target)) return "is not a valid web address";
  const url = new URL(target);
  return policy.ownOrigins.has(url.origin) ? undefined : privateTargetReason(url);
}

/** The field message for a refused target. */
export function privateTargetMessage(reason: string): string {
  return `${reason}: short links may only lead to public addresses (an operator can allow private ones with LINKS_ALLOW_PRIVATE_TARGETS=true)`;
}
