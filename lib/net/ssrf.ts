// Which network addresses a server-side fetch may connect to. A jwks_uri (and later a webhook URL) is
// typed by a client administrator, so it must not reach this host's own services, the internal network
// or a cloud metadata endpoint (server-side request forgery). Only global unicast is allowed; anything
// ipaddr.js knows as special-purpose is refused, and so is any range it may add in a later version.
// KEYSHIFT_FETCH_ALLOW exempts chosen addresses, for tests and private deployments.
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

type IP = ipaddr.IPv4 | ipaddr.IPv6;

export type AddressCategory =
  | "loopback"
  | "private"
  | "link_local"
  | "unique_local"
  | "carrier_grade_nat"
  | "multicast"
  | "reserved"
  | "unspecified"
  | "metadata"
  | "documentation"
  | "broadcast"
  | "nat64"
  | "benchmarking"
  | "invalid";

// reason is a noun phrase ("a private address (10.0.0.5 via NAT64)") so callers can write
// "jwks.example.com resolves to 64:ff9b::a00:5, a private address (10.0.0.5 via NAT64)".
export type AddressVerdict = { allowed: true; address: string } | { allowed: false; address: string; category: AddressCategory; reason: string };

export type AllowedRange = { readonly entry: string; readonly network: IP; readonly prefix: number };
export type AllowList = readonly AllowedRange[];

const DESCRIPTION: Record<AddressCategory, string> = {
  loopback: "a loopback address",
  private: "a private address",
  link_local: "a link-local address",
  unique_local: "a unique-local address",
  carrier_grade_nat: "a carrier-grade NAT address",
  multicast: "a multicast address",
  reserved: "a reserved address",
  unspecified: "an unspecified address",
  metadata: "a cloud metadata address",
  documentation: "a documentation address",
  broadcast: "the broadcast address",
  nat64: "a local-use NAT64 address",
  benchmarking: "a benchmarking address",
  invalid: "not an IP address",
};

// Checked before ipaddr.js's own ranges, which are coarser (documentation and benchmarking are
// "reserved" there, and the metadata endpoints sit inside link-local, CGNAT and unique-local ranges).
const SPECIFIC: [network: IP, prefix: number, category: AddressCategory][] = (
  [
    ["169.254.169.254/32", "metadata"], // AWS, GCP, Azure, OCI, DigitalOcean instance metadata
    ["169.254.170.2/32", "metadata"], // AWS ECS task metadata
    ["100.100.100.200/32", "metadata"], // Alibaba Cloud instance metadata
    ["fd00:ec2::254/128", "metadata"], // AWS instance metadata over IPv6
    ["192.0.2.0/24", "documentation"], // RFC 5737
    ["198.51.100.0/24", "documentation"],
    ["203.0.113.0/24", "documentation"],
    ["2001:db8::/32", "documentation"], // RFC 3849
    ["3fff::/20", "documentation"], // RFC 9637
    ["198.18.0.0/15", "benchmarking"], // RFC 2544
    ["2001:2::/48", "benchmarking"], // RFC 5180
    ["64:ff9b:1::/48", "nat64"], // RFC 8215: local-use NAT64, the IPv4 part is not at a fixed place
  ] as const
).map(([cidr, category]) => {
  const [network, prefix] = ipaddr.parseCIDR(cidr);
  return [network, prefix, category];
});

const BY_RANGE: Record<string, AddressCategory> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link_local",
  loopback: "loopback",
  carrierGradeNat: "carrier_grade_nat",
  private: "private",
  uniqueLocal: "unique_local",
  reserved: "reserved",
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

type Refusal = { category: AddressCategory; reason: string };

export function checkAddress(ip: string, allow: AllowList): AddressVerdict {
  const parsed = parseStrictly(ip);
  if (!parsed) return { allowed: false, address: ip, category: "invalid", reason: DESCRIPTION.invalid };
  if (isExempt(parsed, allow)) return { allowed: true, address: ip };
  const refusal = classify(parsed);
  return refusal ? { allowed: false, address: ip, ...refusal } : { allowed: true, address: ip };
}

// Node's parsers decide what is an address, as they decide where the socket goes: "127.1" or "0x7f.1" is
// a host name to node:net, though ipaddr.js would read it as an IPv4 address. IPv6 text goes through the
// WHATWG serialiser first, as ipaddr.js 2.5 reads "::127.0.0.1" (the form glibc's inet_ntop gives an
// IPv4-compatible address) as IPv4-mapped; the zone of a link-local address plays no part in the check.
function parseStrictly(ip: string): IP | null {
  const version = isIP(ip);
  if (version === 4) return ipaddr.IPv4.parse(ip);
  if (version === 6) return ipaddr.IPv6.parse(new URL(`http://[${ip.split("%")[0]}]/`).hostname.slice(1, -1));
  return null;
}

function classify(address: IP): Refusal | null {
  for (const [network, prefix, category] of SPECIFIC) {
    if (address.kind() === network.kind() && address.match(network, prefix)) return { category, reason: DESCRIPTION[category] };
  }
  if (address.kind() === "ipv6") {
    const embedded = embeddedIPv4(address as ipaddr.IPv6);
    if (embedded) {
      const refusal = classify(embedded.ipv4);
      return refusal && { category: refusal.category, reason: `${refusal.reason} (${embedded.form(embedded.ipv4.toString())})` };
    }
  }
  const range = address.range();
  if (range === "unicast") {
    if (address.kind() === "ipv6" && !address.match(GLOBAL_UNICAST_V6)) return { category: "reserved", reason: "a reserved address (outside 2000::/3)" };
    return null;
  }
  const category = BY_RANGE[range];
  return category ? { category, reason: DESCRIPTION[category] } : { category: "reserved", reason: `${DESCRIPTION.reserved} (${range})` };
}

// IPv6 forms that carry an IPv4 address are judged as that IPv4 address: mapped and translated
// (RFC 4291 2.5.5.2, RFC 6145), compatible (deprecated, RFC 4291 2.5.5.1), NAT64 well-known prefix
// (RFC 6052) and 6to4 (RFC 3056).
function embeddedIPv4(address: ipaddr.IPv6): { ipv4: ipaddr.IPv4; form: (ipv4: string) => string } | null {
  const p = address.parts;
  const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const range = address.range();
  if (range === "ipv4Mapped") return { ipv4: v4(p[6], p[7]), form: (ipv4) => `IPv4-mapped ${ipv4}` };
  if (range === "rfc6145") return { ipv4: v4(p[6], p[7]), form: (ipv4) => `IPv4-translated ${ipv4}` };
  if (range === "rfc6052") return { ipv4: v4(p[6], p[7]), form: (ipv4) => `${ipv4} via NAT64` };
  if (range === "6to4") return { ipv4: v4(p[1], p[2]), form: (ipv4) => `${ipv4} via 6to4` };
  // ::a.b.c.d, but not :: and ::1, which ipaddr.js already names
  if (p.slice(0, 6).every((part) => part === 0) && range === "unicast") return { ipv4: v4(p[6], p[7]), form: (ipv4) => `IPv4-compatible ${ipv4}` };
  return null;
}

function isExempt(address: IP, allow: AllowList): boolean {
  const subject = asIPv4IfMapped(address);
  return allow.some(({ network, prefix }) => subject.kind() === network.kind() && subject.match(network, prefix));
}

function asIPv4IfMapped(address: IP): IP {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

// "127.0.0.1,10.0.0.0/8,::1": addresses and CIDR ranges, strictly written (no "127.1"), blanks ignored.
export function parseAllowList(value: string | undefined): AllowList {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseAllowedRange);
}

function parseAllowedRange(entry: string): AllowedRange {
  const [address, prefixText, extra] = entry.split("/");
  const network = parseStrictly(address);
  const maxPrefix = network?.kind() === "ipv4" ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!network || extra !== undefined || !(prefix <= maxPrefix)) {
    throw new Error(`KEYSHIFT_FETCH_ALLOW: "${entry}" is not an IP address or CIDR range (for example 127.0.0.1, 10.0.0.0/8 or ::1).`);
  }
  // an IPv4-mapped range matches the IPv4 addresses it maps, as checkAddress compares those
  if (network.kind() === "ipv6" && (network as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    return { entry, network: (network as ipaddr.IPv6).toIPv4Address(), prefix: prefix - 96 };
  }
  return { entry, network, prefix };
}

// read on every call, so tests and a restarted configuration take effect without a module reload
export function fetchAllowList(): AllowList {
  return parseAllowList(process.env.KEYSHIFT_FETCH_ALLOW);
}
