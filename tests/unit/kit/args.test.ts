// The kit's command lines: what each command accepts, and a usage error naming the option for
// everything it does not.
import { describe, expect, it } from "vitest";
import { parseAssertionArgs, parseKeygenArgs, parseTokenArgs } from "@/lib/kit/args";
import { UsageError } from "@/lib/kit/usage";

const BASE = ["--client-id", "billing", "--key", "k.pem", "--issuer", "https://as.example.test"];

describe("parseKeygenArgs", () => {
  it("defaults to ES256, 2048-bit RSA when RSA, the thumbprint as kid and the current directory", () => {
    expect(parseKeygenArgs([])).toEqual({ alg: "ES256", bits: 2048, kid: undefined, out: "." });
  });

  it.each([
    { input: ["--alg", "RS256", "--bits", "4096"], expected: { alg: "RS256", bits: 4096 } },
    { input: ["--alg", "PS256", "--bits", "3072"], expected: { alg: "PS256", bits: 3072 } },
    { input: ["--alg", "EdDSA", "--kid", "billing-2026.1", "--out", "keys"], expected: { alg: "EdDSA", kid: "billing-2026.1", out: "keys" } },
    { input: ["--alg=ES384"], expected: { alg: "ES384" } },
  ])("accepts $input", ({ input, expected }) => {
    expect(parseKeygenArgs(input)).toMatchObject(expected);
  });

  it.each([
    { name: "an unknown algorithm", input: ["--alg", "HS256"], expected: /--alg must be one of ES256, ES384, RS256, PS256, EdDSA/ },
    { name: "a 1024-bit RSA key", input: ["--alg", "RS256", "--bits", "1024"], expected: /--bits must be one of 2048, 3072, 4096/ },
    { name: "--bits for an EC key", input: ["--bits", "2048"], expected: /--bits is for RSA keys only/ },
    { name: "a kid that climbs out of --out", input: ["--kid", "../../etc/passwd"], expected: /--kid may hold/ },
    { name: "a hidden-file kid", input: ["--kid", ".hidden"], expected: /--kid may hold/ },
    { name: "an unknown option", input: ["--force"], expected: /keygen: unknown option --force/ },
    { name: "--alg without a value", input: ["--alg"], expected: /option --alg needs a value/ },
    { name: "a positional argument", input: ["ES256"], expected: /unexpected argument/ },
    { name: "an empty --out", input: ["--out", ""], expected: /--out needs a value/ },
  ])("refuses $name", ({ input, expected }) => {
    expect(() => parseKeygenArgs(input)).toThrow(UsageError);
    expect(() => parseKeygenArgs(input)).toThrow(expected);
  });
});

describe("parseAssertionArgs", () => {
  it("keeps the issuer exactly as typed and defaults to a 60 s lifetime and typ JWT", () => {
    const options = parseAssertionArgs(["--client-id", "billing", "--key", "k.pem", "--issuer", "https://as.example.test/tenant/"]);
    expect(options).toEqual({ clientId: "billing", keyFile: "k.pem", issuer: "https://as.example.test/tenant/", lifetimeSeconds: 60, alg: undefined, kid: undefined, typ: "JWT" });
  });

  it.each([
    { input: ["--lifetime", "300"], expected: { lifetimeSeconds: 300 } },
    { input: ["--lifetime", "1"], expected: { lifetimeSeconds: 1 } },
    { input: ["--alg", "PS256", "--kid", "k1"], expected: { alg: "PS256", kid: "k1" } },
    { input: ["--typ", "client-authentication+jwt"], expected: { typ: "client-authentication+jwt" } },
  ])("accepts $input", ({ input, expected }) => {
    expect(parseAssertionArgs([...BASE, ...input])).toMatchObject(expected);
  });

  it.each([
    { name: "no --client-id", input: ["--key", "k.pem", "--issuer", "https://as.example.test"], expected: /assertion: --client-id is required/ },
    { name: "no --key", input: ["--client-id", "c", "--issuer", "https://as.example.test"], expected: /assertion: --key is required/ },
    { name: "no --issuer", input: ["--client-id", "c", "--key", "k.pem"], expected: /assertion: --issuer is required/ },
    { name: "a blank --client-id", input: ["--client-id", " ", "--key", "k.pem", "--issuer", "https://as.example.test"], expected: /--client-id is required/ },
    { name: "an issuer that is not a URL", input: [...BASE, "--issuer", "as.example.test"], expected: /--issuer must be an absolute https URL/ },
    { name: "an issuer with a query", input: [...BASE, "--issuer", "https://as.example.test?tenant=1"], expected: /--issuer has no query or fragment/ },
    { name: "an issuer that is not http(s)", input: [...BASE, "--issuer", "ftp://as.example.test"], expected: /--issuer must be an https URL/ },
    { name: "a lifetime above 300 s", input: [...BASE, "--lifetime", "301"], expected: /--lifetime must be a whole number of seconds from 1 to 300/ },
    { name: "a zero lifetime", input: [...BASE, "--lifetime", "0"], expected: /--lifetime must be/ },
    { name: "a fractional lifetime", input: [...BASE, "--lifetime", "1.5"], expected: /--lifetime must be/ },
    { name: "a symmetric algorithm", input: [...BASE, "--alg", "HS256"], expected: /--alg must be one of ES256/ },
    { name: "another typ", input: [...BASE, "--typ", "at+jwt"], expected: /--typ must be one of JWT, client-authentication\+jwt/ },
    { name: "a token-only option", input: [...BASE, "--scope", "read"], expected: /assertion: unknown option --scope/ },
  ])("refuses $name", ({ input, expected }) => {
    expect(() => parseAssertionArgs(input)).toThrow(UsageError);
    expect(() => parseAssertionArgs(input)).toThrow(expected);
  });
});

describe("parseTokenArgs", () => {
  it("takes the assertion options plus scope, resource, token endpoint and --json", () => {
    const options = parseTokenArgs([...BASE, "--scope", "read write", "--resource", "https://api.example.test/ledger", "--token-endpoint", "https://as.example.test/oauth/token", "--json"]);
    expect(options).toMatchObject({ clientId: "billing", issuer: "https://as.example.test", scope: "read write", resource: "https://api.example.test/ledger", tokenEndpoint: "https://as.example.test/oauth/token", json: true });
    expect(parseTokenArgs(BASE)).toMatchObject({ json: false, scope: undefined, resource: undefined, tokenEndpoint: undefined });
  });

  it.each([
    { name: "a relative resource", input: [...BASE, "--resource", "ledger"], expected: /--resource must be an absolute URI/ },
    { name: "a resource with a fragment", input: [...BASE, "--resource", "https://api.example.test/#x"], expected: /--resource must be an absolute URI without a fragment/ },
    { name: "a token endpoint that is not a URL", input: [...BASE, "--token-endpoint", "/oauth/token"], expected: /--token-endpoint must be an absolute https URL/ },
    { name: "a value given to --json", input: [...BASE, "--json=yes"], expected: /option --json takes no value/ },
    { name: "no --issuer", input: ["--client-id", "c", "--key", "k.pem"], expected: /token: --issuer is required/ },
  ])("refuses $name", ({ input, expected }) => {
    expect(() => parseTokenArgs(input)).toThrow(UsageError);
    expect(() => parseTokenArgs(input)).toThrow(expected);
  });
});
