// Which addresses a server-side fetch may reach: global unicast only, unless KEYSHIFT_FETCH_ALLOW exempts one.
import { afterEach, describe, expect, it } from "vitest";
import { checkAddress, fetchAllowList, parseAllowList, type AddressCategory } from "@/lib/net/ssrf";

const none = parseAllowList(undefined);

describe("checkAddress", () => {
  const refused: { name: string; input: string; expected: AddressCategory; reason?: RegExp }[] = [
    { name: "IPv4 this-network 0/8", input: "0.0.0.0", expected: "unspecified" },
    { name: "IPv4 this-network, not zero", input: "0.1.2.3", expected: "unspecified" },
    { name: "RFC 1918 10/8", input: "10.0.0.5", expected: "private", reason: /^a private address$/ },
    { name: "RFC 1918 172.16/12", input: "172.31.255.255", expected: "private" },
    { name: "RFC 1918 192.168/16", input: "192.168.1.1", expected: "private" },
    { name: "carrier-grade NAT 100.64/10", input: "100.127.0.1", expected: "carrier_grade_nat" },
    { name: "loopback 127/8", input: "127.0.0.1", expected: "loopback" },
    { name: "loopback, not .1", input: "127.255.0.9", expected: "loopback" },
    { name: "link-local 169.254/16", input: "169.254.1.1", expected: "link_local" },
    { name: "cloud metadata 169.254.169.254", input: "169.254.169.254", expected: "metadata", reason: /metadata/ },
    { name: "ECS task metadata", input: "169.254.170.2", expected: "metadata" },
    { name: "Alibaba metadata", input: "100.100.100.200", expected: "metadata" },
    { name: "IETF protocol assignments 192.0.0/24", input: "192.0.0.8", expected: "reserved" },
    { name: "TEST-NET-1", input: "192.0.2.10", expected: "documentation" },
    { name: "benchmarking 198.18/15", input: "198.19.1.1", expected: "benchmarking" },
    { name: "TEST-NET-2", input: "198.51.100.7", expected: "documentation" },
    { name: "TEST-NET-3", input: "203.0.113.200", expected: "documentation" },
    { name: "multicast 224/4", input: "239.255.255.250", expected: "multicast" },
    { name: "class E 240/4", input: "240.0.0.1", expected: "reserved" },
    { name: "limited broadcast", input: "255.255.255.255", expected: "broadcast" },
    { name: "IPv6 unspecified", input: "::", expected: "unspecified" },
    { name: "IPv6 loopback", input: "::1", expected: "loopback" },
    { name: "IPv6 link-local fe80::/10", input: "fe80::1", expected: "link_local" },
    { name: "IPv6 link-local with a zone", input: "fe80::1%eth0", expected: "link_local" },
    { name: "unique-local fc00::/7", input: "fd12:3456::1", expected: "unique_local" },
    { name: "unique-local fc00::/8 half", input: "fc00::1", expected: "unique_local" },
    { name: "AWS metadata over IPv6", input: "fd00:ec2::254", expected: "metadata" },
    { name: "IPv6 multicast ff00::/8", input: "ff02::1", expected: "multicast" },
    { name: "IPv6 documentation 2001:db8::/32", input: "2001:db8::1", expected: "documentation" },
    { name: "IPv6 documentation 3fff::/20", input: "3fff::1", expected: "documentation" },
    { name: "IPv6 benchmarking", input: "2001:2::1", expected: "benchmarking" },
    { name: "Teredo", input: "2001:0:4136:e378:8000:63bf:3fff:fdd2", expected: "reserved", reason: /teredo/ },
    { name: "deprecated site-local", input: "fec0::1", expected: "reserved" },
    { name: "unallocated IPv6 outside 2000::/3", input: "4000::1", expected: "reserved" },
    { name: "IPv4-mapped loopback", input: "::ffff:127.0.0.1", expected: "loopback", reason: /IPv4-mapped 127\.0\.0\.1/ },
    { name: "IPv4-mapped loopback, hex form", input: "::ffff:7f00:1", expected: "loopback" },
    { name: "IPv4-mapped metadata", input: "::ffff:169.254.169.254", expected: "metadata" },
    { name: "IPv4-mapped private, expanded", input: "0:0:0:0:0:ffff:0a00:0001", expected: "private" },
    { name: "IPv4-translated private", input: "::ffff:0:10.0.0.1", expected: "private" },
    { name: "IPv4-compatible loopback", input: "::127.0.0.1", expected: "loopback", reason: /IPv4-compatible/ },
    { name: "IPv4-compatible this-network", input: "::2", expected: "unspecified" },
    { name: "IPv4-compatible private, hex form", input: "::a00:1", expected: "private" },
    { name: "NAT64 of a private address", input: "64:ff9b::10.0.0.1", expected: "private", reason: /10\.0\.0\.1 via NAT64/ },
    { name: "NAT64 of the metadata address", input: "64:ff9b::a9fe:a9fe", expected: "metadata" },
    { name: "local-use NAT64 64:ff9b:1::/48", input: "64:ff9b:1::808:808", expected: "nat64" },
    { name: "6to4 of loopback", input: "2002:7f00:1::1", expected: "loopback", reason: /127\.0\.0\.1 via 6to4/ },
    { name: "6to4 of a private address", input: "2002:c0a8:101::", expected: "private" },
    { name: "a host name", input: "example.com", expected: "invalid" },
    { name: "a short IPv4 form (a name to node:net)", input: "127.1", expected: "invalid" },
    { name: "a hex IPv4 form", input: "0x7f000001", expected: "invalid" },
    { name: "an IPv4 with leading zeros", input: "010.0.0.1", expected: "invalid" },
    { name: "the empty string", input: "", expected: "invalid" },
  ];

  it.each(refused)("refuses $input ($name) as $expected", ({ input, expected, reason }) => {
    const verdict = checkAddress(input, none);
    expect(verdict).toMatchObject({ allowed: false, address: input, category: expected });
    if (reason && !verdict.allowed) expect(verdict.reason).toMatch(reason);
  });

  const allowed = [
    { name: "public IPv4", input: "93.184.215.14" },
    { name: "public DNS", input: "8.8.8.8" },
    { name: "just below 100.64/10", input: "100.63.255.255" },
    { name: "just above 172.16/12", input: "172.32.0.1" },
    { name: "just below 198.18/15", input: "198.17.255.255" },
    { name: "just below multicast", input: "223.255.255.254" },
    { name: "just above 169.254/16", input: "169.255.0.1" },
    { name: "public IPv6", input: "2606:4700:4700::1111" },
    { name: "public IPv6 (Google)", input: "2001:4860:4860::8888" },
    { name: "IPv4-mapped public", input: "::ffff:8.8.8.8" },
    { name: "NAT64 of a public address", input: "64:ff9b::8.8.8.8" },
    { name: "6to4 of a public address", input: "2002:808:808::1" },
  ];

  it.each(allowed)("allows $input ($name)", ({ input }) => {
    expect(checkAddress(input, none)).toEqual({ allowed: true, address: input });
  });

  const exemptions = [
    { name: "a listed address", allow: "127.0.0.1", input: "127.0.0.1", expected: true },
    { name: "only the listed address", allow: "127.0.0.1", input: "127.0.0.2", expected: false },
    { name: "an address in a listed CIDR", allow: "10.0.0.0/8", input: "10.20.30.40", expected: true },
    { name: "nothing outside the CIDR", allow: "10.0.0.0/8", input: "172.16.0.1", expected: false },
    { name: "an IPv4-mapped address by its IPv4 entry", allow: "127.0.0.1", input: "::ffff:127.0.0.1", expected: true },
    { name: "an IPv4 address by an IPv4-mapped entry", allow: "::ffff:10.0.0.0/104", input: "10.1.2.3", expected: true },
    { name: "IPv6 loopback", allow: "::1", input: "::1", expected: true },
    { name: "no IPv4-compatible address by an IPv4 entry", allow: "127.0.0.1", input: "::127.0.0.1", expected: false },
    { name: "an IPv6 CIDR", allow: "fd00::/8", input: "fd00:ec2::254", expected: true },
    { name: "IPv4 loopback not by the IPv6 one", allow: "::1", input: "127.0.0.1", expected: false },
    { name: "any of several entries", allow: " 127.0.0.1 , 10.0.0.0/8,::1, ", input: "10.9.9.9", expected: true },
  ];

  it.each(exemptions)("KEYSHIFT_FETCH_ALLOW=$allow exempts $name: $expected", ({ allow, input, expected }) => {
    expect(checkAddress(input, parseAllowList(allow)).allowed).toBe(expected);
  });
});

describe("parseAllowList", () => {
  it("reads nothing from an unset or blank value", () => {
    expect(parseAllowList(undefined)).toEqual([]);
    expect(parseAllowList(" , ")).toEqual([]);
  });

  it.each(["localhost", "127.1", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/x", "0x7f000001"])("refuses %j with a clear error", (entry) => {
    expect(() => parseAllowList(`127.0.0.1,${entry}`)).toThrow(`KEYSHIFT_FETCH_ALLOW: "${entry}" is not an IP address or CIDR range`);
  });
});

describe("fetchAllowList", () => {
  const saved = process.env.KEYSHIFT_FETCH_ALLOW;
  afterEach(() => {
    if (saved === undefined) delete process.env.KEYSHIFT_FETCH_ALLOW;
    else process.env.KEYSHIFT_FETCH_ALLOW = saved;
  });

  it("reads KEYSHIFT_FETCH_ALLOW on every call", () => {
    delete process.env.KEYSHIFT_FETCH_ALLOW;
    expect(checkAddress("127.0.0.1", fetchAllowList()).allowed).toBe(false);
    process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.0/8";
    expect(checkAddress("127.0.0.1", fetchAllowList()).allowed).toBe(true);
  });
});
