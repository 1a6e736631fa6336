// The kit's command lines, parsed with node:util parseArgs and checked into typed options. Every
// mistake is a UsageError naming the command and the option, before any file is read or written.
import { optionParser, type Options, type OptionValues } from "../cli/options";
import { ASSERTION_ALGORITHMS } from "../oauth/algorithms";
import { UsageError } from "./usage";

export const KEYGEN_ALGORITHMS = ["ES256", "ES384", "RS256", "PS256", "EdDSA"] as const;
export type KeygenAlgorithm = (typeof KEYGEN_ALGORITHMS)[number];
export const RSA_BITS = [2048, 3072, 4096] as const;
// RFC 7523bis section 4 registers client-authentication+jwt; "JWT" is what every server accepts
export const ASSERTION_TYPS = ["JWT", "client-authentication+jwt"] as const;
export type AssertionTyp = (typeof ASSERTION_TYPS)[number];
export const DEFAULT_LIFETIME_SECONDS = 60;
// Keyshift's largest allowed maximum assertion lifetime (docs/token-endpoint.md)
export const MAX_LIFETIME_SECONDS = 300;

export type KeygenOptions = { alg: KeygenAlgorithm; bits: number; kid?: string; out: string };
export type AssertionOptions = {
  clientId: string;
  keyFile: string;
  issuer: string;
  lifetimeSeconds: number;
  alg?: string;
  kid?: string;
  typ: AssertionTyp;
};
export type TokenOptions = AssertionOptions & { scope?: string; resource?: string; tokenEndpoint?: string; json: boolean };

type Values = OptionValues;
const { parseOptions, required } = optionParser(UsageError);

function optional(command: string, values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !value.trim()) throw new UsageError(`${command}: --${name} needs a value`);
  return value;
}

function oneOf<T extends string>(command: string, name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${command}: --${name} must be one of ${allowed.join(", ")} (got ${value})`);
  return value as T;
}

function httpUrl(command: string, name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${command}: --${name} must be an absolute https URL (got ${value})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`${command}: --${name} must be an https URL (got ${value})`);
  return url;
}

/**
 * RFC 8414 section 2: the issuer is an https URL with no query or fragment. It is kept exactly as
 * typed, never normalised: aud and the metadata check compare it character for character.
 */
function issuerOption(command: string, values: Values): string {
  const issuer = required(command, values, "issuer");
  const url = httpUrl(command, "issuer", issuer);
  if (url.search || url.hash || issuer.includes("?") || issuer.includes("#")) throw new UsageError(`${command}: --issuer has no query or fragment (RFC 8414 section 2)`);
  return issuer;
}

// a kid becomes part of file names: nothing that could climb out of --out or hide the file
const FILE_SAFE_KID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function parseKeygenArgs(args: string[]): KeygenOptions {
  const c = "keygen";
  const values = parseOptions(c, args, { alg: { type: "string" }, bits: { type: "string" }, kid: { type: "string" }, out: { type: "string" } });
  const alg = oneOf(c, "alg", optional(c, values, "alg") ?? "ES256", KEYGEN_ALGORITHMS);
  const bitsText = optional(c, values, "bits");
  if (bitsText !== undefined && !alg.startsWith("RS") && !alg.startsWith("PS")) throw new UsageError(`${c}: --bits is for RSA keys only (--alg RS256 or PS256)`);
  const bits = Number(bitsText ?? RSA_BITS[0]);
  if (!(RSA_BITS as readonly number[]).includes(bits)) throw new UsageError(`${c}: --bits must be one of ${RSA_BITS.join(", ")} (got ${bitsText})`);
  const kid = optional(c, values, "kid");
  if (kid !== undefined && !FILE_SAFE_KID.test(kid)) throw new UsageError(`${c}: --kid may hold letters, digits, '.', '_' and '-' (at most 128, not starting with '.'), since it names the files`);
  return { alg, bits, kid, out: optional(c, values, "out") ?? "." };
}

const ASSERTION_FLAGS = {
  "client-id": { type: "string" },
  key: { type: "string" },
  issuer: { type: "string" },
  lifetime: { type: "string" },
  alg: { type: "string" },
  kid: { type: "string" },
  typ: { type: "string" },
} as const satisfies Options;

function assertionOptions(c: string, values: Values): AssertionOptions {
  const lifetimeText = optional(c, values, "lifetime");
  const lifetimeSeconds = lifetimeText === undefined ? DEFAULT_LIFETIME_SECONDS : Number(lifetimeText);
  if (!/^\d+$/.test(lifetimeText ?? "60") || lifetimeSeconds < 1 || lifetimeSeconds > MAX_LIFETIME_SECONDS) {
    throw new UsageError(`${c}: --lifetime must be a whole number of seconds from 1 to ${MAX_LIFETIME_SECONDS} (got ${lifetimeText})`);
  }
  const alg = optional(c, values, "alg");
  return {
    clientId: required(c, values, "client-id"),
    keyFile: required(c, values, "key"),
    issuer: issuerOption(c, values),
    lifetimeSeconds,
    alg: alg === undefined ? undefined : oneOf(c, "alg", alg, ASSERTION_ALGORITHMS),
    kid: optional(c, values, "kid"),
    typ: oneOf(c, "typ", optional(c, values, "typ") ?? "JWT", ASSERTION_TYPS),
  };
}

export function parseAssertionArgs(args: string[]): AssertionOptions {
  return assertionOptions("assertion", parseOptions("assertion", args, ASSERTION_FLAGS));
}

export function parseTokenArgs(args: string[]): TokenOptions {
  const c = "token";
  const values = parseOptions(c, args, { ...ASSERTION_FLAGS, scope: { type: "string" }, resource: { type: "string" }, "token-endpoint": { type: "string" }, json: { type: "boolean" } });
  const resource = optional(c, values, "resource");
  // RFC 8707 section 2: an absolute URI without a fragment
  if (resource !== undefined && (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(resource) || resource.includes("#"))) throw new UsageError(`${c}: --resource must be an absolute URI without a fragment (RFC 8707)`);
  const tokenEndpoint = optional(c, values, "token-endpoint");
  if (tokenEndpoint !== undefined) httpUrl(c, "token-endpoint", tokenEndpoint);
  return { ...assertionOptions(c, values), scope: optional(c, values, "scope"), resource, tokenEndpoint, json: values.json === true };
}
