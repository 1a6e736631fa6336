// What public key material a client may register for private_key_jwt, from any source: an uploaded JWKS,
// a JWKS fetched from the client's jwks_uri, a PEM public key or an X.509 certificate. Every source ends
// in the same JWK rules (checkJwk), so a key is acceptable or not whatever shape it arrived in.
import crypto from "node:crypto";
import type { JWK } from "jose";
import { jwkThumbprint } from "../crypto/jwk";
import { invalid } from "../errors";
import { ASSERTION_ALGORITHMS, algorithmMismatch, MIN_RSA_BITS, rsaBits } from "../oauth/algorithms";
import { type CertificateInfo, certificateFromBase64Der, certificateInfo, privateKeyPasted, publicKeyAsJwk, readPastedKey } from "./pem";

export type { CertificateInfo } from "./pem";
export type KeyMaterialSource = "upload" | "pem" | "certificate" | "jwks_uri";
export type ValidatedKey = {
  kid: string;
  kidAssigned: boolean;
  kty: string;
  alg: string | null;
  thumbprint: string;
  /** only public members + kid, use "sig", alg when given: never x5c, never a private member */
  publicJwk: JWK;
  /** notAfter of the key's certificate (pasted, or x5c[0]); null without one */
  expiresAt: Date | null;
  certificate: CertificateInfo | null;
  source: KeyMaterialSource;
};
/** A key of a jwks_uri document left out; `index` is its 0-based position in "keys". */
export type IgnoredKey = { index: number; kid: string | null; reason: string };
/** The organisation's key rules (lib/policy): allowed algorithms and minimum sizes, beyond the fixed floor. */
export type KeyRules = { allowedAlgorithms?: readonly string[]; minRsaBits?: number; minEcBits?: number };
type Rules = { now: Date } & KeyRules;

export const MAX_JWKS_BYTES = 64 * 1024;
const MAX_KEYS = 20;
// members only a private key has (RFC 7518 section 6.2.2, 6.3.2); "k" (symmetric) is refused per key
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth"];
const PUBLIC_MEMBERS: Record<string, string[]> = { EC: ["crv", "x", "y"], RSA: ["n", "e"], OKP: ["crv", "x"] };
const EC_CURVES = ["P-256", "P-384", "P-521"];
export const EC_CURVE_BITS: Record<string, number> = { "P-256": 256, "P-384": 384, "P-521": 521 };

/**
 * Checks a JWKS document. "upload": every key must be acceptable, else `invalid` naming every problem.
 * "jwks_uri": the client's own published set, which may legitimately hold encryption keys, so a key
 * with a problem is reported in `ignored`; only document-level problems (or no usable key) throw.
 */
export function validateJwksDocument(text: string, options: Rules & { mode: "upload" | "jwks_uri" }): { keys: ValidatedKey[]; ignored: IgnoredKey[] } {
  const fromUri = options.mode === "jwks_uri";
  const refuse = (message: string, problem: string) => invalid(message, { jwks: problem });
  if (Buffer.byteLength(text, "utf8") > MAX_JWKS_BYTES) throw refuse(`The JWKS is larger than ${MAX_JWKS_BYTES / 1024} KiB.`, "Too large");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw refuse("The JWKS is not valid JSON.", "Not JSON");
  }
  const raws = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(raws) || raws.length === 0) throw refuse('A JWKS is a JSON object with a non-empty "keys" array.', 'No "keys" array');
  // a private key is the worst mistake: say so first and loudly, and never echo the document
  if (raws.some((raw) => raw && typeof raw === "object" && PRIVATE_MEMBERS.some((member) => member in raw))) {
    const where = fromUri ? "The JWKS published at the jwks_uri contains a PRIVATE key; anyone who fetched it has that key." : "This JWKS contains a PRIVATE key.";
    throw refuse(
      `${where} Nothing was saved or logged. Treat that private key as compromised: it has left the client. Generate a new key pair and publish only the public key.`,
      "Contains a private key",
    );
  }
  if (raws.length > MAX_KEYS) throw refuse(`At most ${MAX_KEYS} keys per client; this JWKS has ${raws.length}.`, "Too many keys");

  const problems: IgnoredKey[] = [];
  const accepted: { index: number; key: ValidatedKey }[] = [];
  raws.forEach((raw, index) => {
    const checked = checkJwk(raw, options);
    if (typeof checked === "string") problems.push({ index, kid: kidOf(raw), reason: checked });
    else accepted.push({ index, key: { ...checked, source: options.mode } });
  });
  const keys = setAsideSharedKids(accepted, fromUri, problems);
  problems.sort((a, b) => a.index - b.index);
  const named = problems.map((problem) => `key ${problem.index + 1}: ${problem.reason}`);
  if (!fromUri && problems.length) throw refuse(`The JWKS cannot be registered: ${named.join("; ")}.`, named[0]);
  if (keys.length === 0) throw refuse(`The JWKS at the jwks_uri has no usable signing key: ${named.join("; ")}.`, named[0]);
  return { keys, ignored: problems };
}

/** The key in a pasted PEM public key or X.509 certificate, checked by the same rules as a JWK. */
export function keyFromPem(text: string, options: Rules & { kid?: string; alg?: string }): ValidatedKey {
  const { publicKey, certificate, source } = readPastedKey(text);
  const refuse = (problem: string) => invalid(`The key cannot be registered: ${problem}.`, { pem: problem });
  const jwk = publicKeyAsJwk(publicKey);
  if (!jwk) throw refuse(`a ${publicKey.asymmetricKeyType?.toUpperCase() ?? "key of this"} key is not supported (EC, RSA or Ed25519)`);
  const checked = checkJwk({ ...jwk, ...(options.kid !== undefined && { kid: options.kid }), ...(options.alg !== undefined && { alg: options.alg }) }, options);
  if (typeof checked === "string") throw refuse(checked);
  if (!certificate) return { ...checked, source };
  const info = certificateInfo(certificate);
  // a certificate not yet valid is fine: the caller schedules the key's activation from notBefore
  if (info.notAfter <= options.now) {
    const day = info.notAfter.toISOString().slice(0, 10);
    throw invalid(`The certificate expired on ${day} (${info.notAfter.toISOString()}); ask the client for a current certificate.`, { pem: `the certificate expired on ${day}` });
  }
  return { ...checked, expiresAt: info.notAfter, certificate: info, source };
}

/** Either the key (without its source) or why it is not acceptable; never includes key material. */
function checkJwk(raw: unknown, rules: Rules): Omit<ValidatedKey, "source"> | string {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return "not a JSON object";
  const jwk = raw as JWK & Record<string, unknown>;
  if (jwk.kty === "oct" || "k" in jwk) return "a symmetric (shared) key cannot authenticate a client by private_key_jwt";
  const required = PUBLIC_MEMBERS[String(jwk.kty)];
  if (!required) return `key type ${quote(jwk.kty)} is not supported (EC, RSA or OKP)`;
  const missing = required.filter((member) => typeof jwk[member] !== "string");
  if (missing.length) return `a ${jwk.kty} key needs ${missing.join(", ")}`;
  if (jwk.kty === "EC" && !EC_CURVES.includes(jwk.crv!)) return `curve ${quote(jwk.crv)} is not allowed (P-256, P-384, P-521)`;
  if (jwk.kty === "OKP" && jwk.crv !== "Ed25519") return `curve ${quote(jwk.crv)} is not allowed (Ed25519 only)`;
  const minRsa = Math.max(MIN_RSA_BITS, rules.minRsaBits ?? 0);
  if (jwk.kty === "RSA" && rsaBits(jwk) < minRsa) return `the RSA key has ${rsaBits(jwk)} bits; at least ${minRsa} are required${minRsa > MIN_RSA_BITS ? " (organisation policy)" : ""}`;
  if (jwk.kty === "EC" && EC_CURVE_BITS[jwk.crv!] < (rules.minEcBits ?? 0)) {
    const weakest = Object.keys(EC_CURVE_BITS).find((c) => EC_CURVE_BITS[c] >= rules.minEcBits!);
    return `curve ${jwk.crv} is below the organisation's minimum (${weakest} or stronger)`;
  }
  const members = { kty: jwk.kty, ...Object.fromEntries(required.map((member) => [member, jwk[member]])) } as JWK;
  try {
    crypto.createPublicKey({ key: members, format: "jwk" });
  } catch {
    return jwk.kty === "EC" ? `the EC key is not a point on curve ${jwk.crv}` : `the ${jwk.kty} key does not parse as a public key`;
  }
  if (jwk.use !== undefined && jwk.use !== "sig") return `use is ${quote(jwk.use)}; a client signing key has use "sig" or none`;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) return 'key_ops must include "verify"';
  const allowed = rules.allowedAlgorithms ?? ASSERTION_ALGORITHMS;
  if (jwk.alg !== undefined) {
    if (typeof jwk.alg !== "string" || !allowed.includes(jwk.alg)) return `alg ${quote(jwk.alg)} is not allowed (${allowed.join(", ")})`;
    const mismatch = algorithmMismatch(jwk.alg, jwk);
    if (mismatch) return mismatch;
  }
  if (jwk.kid !== undefined && (typeof jwk.kid !== "string" || !jwk.kid || jwk.kid.length > 255)) return "kid must be a string of 1 to 255 characters";
  const thumbprint = jwkThumbprint(members);
  let certificate: CertificateInfo | null = null;
  if (jwk.x5c !== undefined) {
    const checked = checkX5c(jwk.x5c, thumbprint, rules.now);
    if (typeof checked === "string") return checked;
    certificate = checked;
  }
  const kid = jwk.kid ?? thumbprint;
  const publicJwk: JWK = { ...members, kid, use: "sig", ...(jwk.alg !== undefined && { alg: jwk.alg }) };
  return { kid, kidAssigned: jwk.kid === undefined, kty: jwk.kty!, alg: jwk.alg ?? null, thumbprint, publicJwk, expiresAt: certificate?.notAfter ?? null, certificate };
}

// RFC 7517 4.7: x5c is an array of standard base64 (not base64url) DER certificates, the key's own first.
// The chain is not verified: there are no trust anchors here, and the JWK itself is what gets trusted;
// x5c[0] only has to hold the same key, and its notAfter bounds the key's life.
function checkX5c(x5c: unknown, thumbprint: string, now: Date): CertificateInfo | string {
  if (!Array.isArray(x5c) || x5c.length === 0) return "x5c must be a non-empty array of base64 DER certificates";
  const chain = x5c.map(certificateFromBase64Der);
  const bad = chain.findIndex((certificate) => !certificate);
  if (bad >= 0) return /[-_]/.test(String(x5c[bad])) ? `x5c[${bad}] is base64url; x5c uses standard base64` : `x5c[${bad}] is not a base64 DER certificate`;
  const leafKey = publicKeyAsJwk(chain[0]!.publicKey);
  let leafThumbprint: string | null = null;
  try {
    leafThumbprint = leafKey && jwkThumbprint(leafKey);
  } catch {
    // a key type without a thumbprint cannot be this JWK's key
  }
  if (leafThumbprint !== thumbprint) return "the certificate in x5c[0] holds a different public key than the JWK";
  const info = certificateInfo(chain[0]!);
  if (info.notAfter <= now) return `the certificate in x5c expired on ${info.notAfter.toISOString().slice(0, 10)}`;
  return info;
}

// a public member named in a message, cut short: a document may put anything in it
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function kidOf(raw: unknown): string | null {
  const kid = raw && typeof raw === "object" ? (raw as { kid?: unknown }).kid : undefined;
  return typeof kid === "string" && kid.length > 0 && kid.length <= 255 ? kid : null;
}

// Keys that share a kid. Upload: the first keeps it, a later one is a problem. jwks_uri: an assertion
// naming a shared kid would be ambiguous (which key verifies it?), so none of those keys is used.
function setAsideSharedKids(accepted: { index: number; key: ValidatedKey }[], fromUri: boolean, problems: IgnoredKey[]): ValidatedKey[] {
  const holders = new Map<string, number[]>();
  for (const { index, key } of accepted) holders.set(key.kid, [...(holders.get(key.kid) ?? []), index]);
  const kept = accepted.filter(({ index, key }) => {
    const sharing = holders.get(key.kid)!;
    if (sharing.length === 1 || (!fromUri && index === sharing[0])) return true;
    const reason = fromUri
      ? `kid ${JSON.stringify(key.kid)} is shared by keys ${sharing.map((i) => i + 1).join(", ")}; an assertion naming it would be ambiguous`
      : `kid ${JSON.stringify(key.kid)} is already used by key ${sharing[0] + 1}`;
    problems.push({ index, kid: key.kidAssigned ? null : key.kid, reason });
    return false;
  });
  return kept.map(({ key }) => key);
}
