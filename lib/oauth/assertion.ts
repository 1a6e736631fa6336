// The rules for a private_key_jwt client assertion (RFC 7521/7523, OIDC Core 9, draft-ietf-oauth-
// rfc7523bis), one verdict per rule, in plain words with the fix. The token endpoint stops at the first
// failure; the assertion debugger asks for every verdict. Neither reserves the jti: that is the token
// endpoint's last step (lib/oauth/replay.ts), so checking an assertion here never consumes it.
import crypto from "node:crypto";
import type { JWK } from "jose";
import { acceptsSignatures, keyStatusAt, type KeyDates } from "../keys/status";
import { algorithmMismatch, usableForSignatures } from "./algorithms";
import type { FailureReason } from "./reasons";

export const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export type AssertionKey = KeyDates & {
  id: string;
  kid: string;
  jwk: JWK;
};

export type AssertionPolicy = {
  allowedAlgorithms: readonly string[];
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
};

export type AssertionContext = {
  clientId: string;
  issuer: string;
  tokenEndpoint: string;
  /** per-client compatibility mode: the token endpoint URL is also accepted as aud (and recorded) */
  audienceCompat: boolean;
  keys: readonly AssertionKey[];
  policy: AssertionPolicy;
  now: Date;
};

export type AudienceForm = "issuer" | "token_endpoint" | "array" | "other" | "missing";

export type Verdict = { rule: string; ok: boolean; reason?: FailureReason; message: string };

export type AssertionResult = {
  ok: boolean;
  reason?: FailureReason;
  verdicts: Verdict[];
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  audienceForm: AudienceForm | null;
  /** the key that verified the signature */
  key?: AssertionKey;
  jti?: string;
  /** when the jti may be forgotten: exp plus the clock skew */
  jtiExpiresAt?: Date;
};

const ACCEPTED_TYP = new Set(["jwt", "client-authentication+jwt", "application/jwt", "application/client-authentication+jwt"]);
// key-bearing header parameters: a signer could point at a key of its own choosing, so they are never used
const KEY_HEADERS = ["jku", "x5u", "jwk", "x5c"];
const MAX_JTI_LENGTH = 256;

function decodeJson(segment: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Just the header and claims, undecoded signature aside: to learn which client an assertion names. */
export function peekAssertion(assertion: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const parts = assertion.split(".");
  if (parts.length !== 3) return null;
  const header = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  return header && claims ? { header, claims } : null;
}

// public keys are parsed once per distinct key; the cache is bounded, and a changed key is a new entry
const keyObjects = new Map<string, crypto.KeyObject>();
function publicKeyObject(jwk: JWK): crypto.KeyObject {
  const publicPart = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, n: jwk.n, e: jwk.e };
  const cacheKey = JSON.stringify(publicPart);
  let key = keyObjects.get(cacheKey);
  if (!key) {
    key = crypto.createPublicKey({ key: publicPart as crypto.JsonWebKey, format: "jwk" });
    if (keyObjects.size >= 10_000) keyObjects.delete(keyObjects.keys().next().value!);
    keyObjects.set(cacheKey, key);
  }
  return key;
}

const DIGEST: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

/** node:crypto parameters for a JWS algorithm (RFC 7518 section 3, RFC 8037, RFC 9864). */
export function jwsCryptoParams(alg: string): { digest: string | null; options: { dsaEncoding?: "ieee-p1363"; padding?: number; saltLength?: number } } {
  if (alg === "EdDSA" || alg === "Ed25519") return { digest: null, options: {} };
  const digest = DIGEST[alg.slice(2)];
  if (alg.startsWith("ES")) return { digest, options: { dsaEncoding: "ieee-p1363" } };
  if (alg.startsWith("PS")) return { digest, options: { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST } };
  return { digest, options: {} };
}

let inline = false;

/**
 * Where the token endpoint's signature checks and token signing run: on libuv's thread pool (the
 * default: the event loop stays free while a signature is checked), or inline on the event loop. The
 * token server chooses inline when it runs a worker process per core: every core then has its own event
 * loop, and a hand-off to the pool only costs (on bench:token's 2-core virtual machine, waking a pool
 * thread cost the event loop more time than the ES256 check it handed off).
 */
export function runSignaturesInline(on: boolean): void {
  inline = on;
}

export function signaturesRunInline(): boolean {
  return inline;
}

/**
 * The JWS signature check on the already-chosen key and algorithm. node:crypto directly, not jose: this
 * is the token endpoint's hot path, and the algorithm and key were fixed by the rules above.
 */
export function verifySignature(alg: string, jwk: JWK, assertion: string): Promise<boolean> {
  const lastDot = assertion.lastIndexOf(".");
  const data = Buffer.from(assertion.slice(0, lastDot), "ascii");
  const signature = Buffer.from(assertion.slice(lastDot + 1), "base64url");
  return new Promise((resolve) => {
    try {
      const { digest, options } = jwsCryptoParams(alg);
      const key = { key: publicKeyObject(jwk), ...options };
      if (inline) resolve(crypto.verify(digest, data, key, signature));
      else crypto.verify(digest, data, key, signature, (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}

function keyStatusHint(key: AssertionKey, status: string): string {
  if (status === "scheduled" && key.notBefore) return ` until ${key.notBefore.toISOString()}`;
  if (status === "expired" && key.expiresAt) return ` since ${key.expiresAt.toISOString()}`;
  return "";
}

/** The fix for a key that may not sign: the client's keys that may (message text only). */
function activeKids(keys: readonly AssertionKey[], now: Date): string {
  const usable = keys.filter((k) => acceptsSignatures(keyStatusAt(k, now))).map((k) => `\`${k.kid}\``);
  return usable.length ? `Sign with one of its active keys: ${usable.join(", ")}.` : "The client has no active key: register one first.";
}

function seconds(value: number): string {
  return `${Math.round(value)} s`;
}

/**
 * Checks every rule in order. With `stopAtFirstFailure` (the token endpoint) nothing after the first
 * failing rule runs, so a malformed or misdirected assertion costs no signature verification.
 */
export async function checkAssertion(
  assertion: string,
  ctx: AssertionContext,
  options: { stopAtFirstFailure: boolean; /** peekAssertion's result, when the caller has it already */ decoded?: ReturnType<typeof peekAssertion> },
): Promise<AssertionResult> {
  const verdicts: Verdict[] = [];
  const result: AssertionResult = { ok: false, verdicts, header: null, claims: null, audienceForm: null };
  let failed = false;
  const pass = (rule: string, message: string) => verdicts.push({ rule, ok: true, message });
  const fail = (rule: string, reason: FailureReason, message: string) => {
    verdicts.push({ rule, ok: false, reason, message });
    if (!failed) result.reason = reason;
    failed = true;
    return options.stopAtFirstFailure;
  };
  const done = () => {
    result.ok = !failed;
    return result;
  };

  // structure
  const parts = assertion.split(".");
  if (parts.length === 5) {
    fail("format", "assertion_encrypted", "The assertion is encrypted (a JWE with five parts). Send a signed JWT (a JWS with three parts), not an encrypted one.");
    return done();
  }
  const header = parts.length === 3 ? (options.decoded?.header ?? decodeJson(parts[0])) : null;
  const claims = parts.length === 3 ? (options.decoded?.claims ?? decodeJson(parts[1])) : null;
  if (!header || !claims || !/^[A-Za-z0-9_-]*$/.test(parts[2] ?? "")) {
    fail("format", "assertion_malformed", "The assertion is not a compact JWS: three base64url parts, a JSON object header and a JSON object of claims.");
    return done();
  }
  result.header = header;
  result.claims = claims;
  pass("format", "A compact JWS with a JSON header and JSON claims.");

  // header
  const alg = typeof header.alg === "string" ? header.alg : "";
  if (alg.toLowerCase() === "none") {
    if (fail("alg", "alg_none", "The assertion is unsigned (alg none). Sign it with the client's private key.")) return done();
  } else if (!ctx.policy.allowedAlgorithms.includes(alg)) {
    const what = alg ? `alg ${alg} is not allowed` : "the header has no alg";
    const symmetric = /^HS/.test(alg) ? " (a shared-key HMAC brings the shared secret back)" : "";
    if (fail("alg", "alg_not_allowed", `${what}${symmetric}. Allowed: ${ctx.policy.allowedAlgorithms.join(", ")}.`)) return done();
  } else pass("alg", `alg ${alg} is allowed.`);

  if (header.typ !== undefined && (typeof header.typ !== "string" || !ACCEPTED_TYP.has(header.typ.toLowerCase()))) {
    if (fail("typ", "typ_invalid", `typ ${JSON.stringify(header.typ)} names another kind of token. Omit typ, or use "JWT" or "client-authentication+jwt".`)) return done();
  } else pass("typ", header.typ === undefined ? "No typ header (accepted)." : `typ ${String(header.typ)} is accepted.`);

  if (header.crit !== undefined) {
    if (fail("crit", "crit_unsupported", `crit ${JSON.stringify(header.crit)} marks header parameters this server does not understand. Remove crit.`)) return done();
  } else pass("crit", "No critical header parameters.");

  const keyHeaders = KEY_HEADERS.filter((name) => header[name] !== undefined);
  if (keyHeaders.length) pass("key_headers", `${keyHeaders.join(", ")} in the header ${keyHeaders.length > 1 ? "are" : "is"} ignored: only the client's registered keys are used.`);

  // claims
  if (claims.iss !== ctx.clientId) {
    if (fail("iss", "iss_mismatch", `${claims.iss === undefined ? "The assertion has no iss" : `iss is ${JSON.stringify(claims.iss)}`}; set it to the client_id ${JSON.stringify(ctx.clientId)}.`)) return done();
  } else pass("iss", "iss is the client_id.");
  if (claims.sub !== ctx.clientId) {
    if (fail("sub", "sub_mismatch", `${claims.sub === undefined ? "The assertion has no sub" : `sub is ${JSON.stringify(claims.sub)}`}; set it to the client_id ${JSON.stringify(ctx.clientId)}.`)) return done();
  } else pass("sub", "sub is the client_id.");

  const aud = claims.aud;
  if (aud === undefined) {
    result.audienceForm = "missing";
    if (fail("aud", "aud_missing", `The assertion has no aud. Set aud to the issuer identifier "${ctx.issuer}".`)) return done();
  } else if (Array.isArray(aud)) {
    result.audienceForm = "array";
    if (fail("aud", "aud_array", `aud is an array (${JSON.stringify(aud)}); it must be a single string, the issuer identifier "${ctx.issuer}".`)) return done();
  } else if (aud === ctx.issuer) {
    result.audienceForm = "issuer";
    pass("aud", "aud is the issuer identifier.");
  } else if (aud === ctx.tokenEndpoint) {
    result.audienceForm = "token_endpoint";
    if (ctx.audienceCompat) pass("aud", `aud is the token endpoint URL, accepted only because this client is in audience compatibility mode. Set it to the issuer "${ctx.issuer}".`);
    else if (fail("aud", "aud_mismatch", `aud is the token endpoint URL ("${ctx.tokenEndpoint}"); set it to the issuer "${ctx.issuer}".`)) return done();
  } else {
    result.audienceForm = "other";
    if (fail("aud", "aud_mismatch", `aud is ${JSON.stringify(aud)}${aud === `${ctx.issuer}/` || `${aud}/` === ctx.issuer ? ", which differs from the issuer only by a trailing slash (aud is compared exactly)" : ""}; set it to the issuer "${ctx.issuer}".`)) return done();
  }

  const now = ctx.now.getTime() / 1000;
  const { maxLifetimeSeconds, clockSkewSeconds: skew } = ctx.policy;
  const exp = claims.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) {
    if (fail("exp", "exp_missing", `The assertion has no numeric exp. Set exp to at most ${maxLifetimeSeconds} s after the time of signing.`)) return done();
  } else if (exp + skew <= now) {
    if (fail("exp", "expired", `exp passed ${seconds(now - exp)} ago. Sign a fresh assertion for each request, with exp at most ${maxLifetimeSeconds} s ahead (and check the client's clock).`)) return done();
  } else if (exp - now > maxLifetimeSeconds + skew) {
    if (fail("exp", "exp_too_far", `exp is ${seconds(exp - now)} ahead; the maximum is ${maxLifetimeSeconds} s. Set exp to at most ${maxLifetimeSeconds} s after the time of signing.`)) return done();
  } else pass("exp", `exp is ${seconds(exp - now)} ahead (at most ${maxLifetimeSeconds} s).`);

  for (const [name, reason] of [["iat", "iat_future"], ["nbf", "not_yet_valid"]] as const) {
    const value = claims[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      if (fail(name, "assertion_malformed", `${name} must be a number of seconds since 1970.`)) return done();
    } else if (value > now + skew) {
      if (fail(name, reason, `${name} is ${seconds(value - now)} in the future; the allowed clock skew is ${skew} s. Check the client's clock.`)) return done();
    } else pass(name, `${name} is not in the future.`);
  }

  const jti = claims.jti;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    if (fail("jti", "jti_missing", `The assertion needs a jti: a unique string of at most ${MAX_JTI_LENGTH} characters, new for every assertion.`)) return done();
  } else {
    result.jti = jti;
    if (typeof exp === "number") result.jtiExpiresAt = new Date((Math.max(exp, now) + skew) * 1000);
    pass("jti", "jti is present (it must be new: a replay is refused).");
  }

  // key selection (DESIGN.md): kid selects; without kid, exactly one usable key for the alg
  const known = ctx.keys.filter((k) => usableForSignatures(k.jwk));
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  let key: AssertionKey | undefined;
  if (!known.length) {
    if (fail("key", "no_keys", "The client has no registered signing keys. Register its public key (JWKS) first.")) return done();
  } else if (kid !== undefined) {
    const named = known.find((k) => k.kid === kid);
    const list = known.map((k) => `\`${k.kid}\``).join(", ");
    const status = named && keyStatusAt(named, ctx.now);
    if (!named) {
      if (fail("key", "kid_unknown", `kid \`${kid}\` is not among this client's keys; its keys are ${list}.`)) return done();
    } else if (!acceptsSignatures(status!)) {
      if (fail("key", "key_not_active", `The key \`${kid}\` is ${status}${keyStatusHint(named, status!)}; only active and retiring keys are accepted. ${activeKids(known, ctx.now)}`)) return done();
    } else {
      const mismatch = alg ? algorithmMismatch(alg, named.jwk) : "the header has no alg";
      if (mismatch) {
        if (fail("key", "alg_key_mismatch", `The key \`${kid}\` cannot verify this assertion: ${mismatch}.`)) return done();
      } else {
        key = named;
        pass("key", `Key \`${kid}\` (${status}) is used.`);
      }
    }
  } else {
    const candidates = known.filter((k) => {
      return acceptsSignatures(keyStatusAt(k, ctx.now)) && alg && !algorithmMismatch(alg, k.jwk);
    });
    if (candidates.length === 1) {
      key = candidates[0];
      pass("key", `No kid; the client's only key usable for ${alg}, \`${key.kid}\`, is used.`);
    } else if (candidates.length === 0) {
      if (fail("key", "no_usable_key", `None of the client's active keys can verify ${alg || "an assertion without alg"}. Its keys: ${known.map((k) => `\`${k.kid}\` (${k.jwk.kty}${k.jwk.crv ? ` ${k.jwk.crv}` : ""}${k.jwk.alg ? `, ${k.jwk.alg}` : ""})`).join(", ")}.`)) return done();
    } else if (fail("key", "kid_required", `The assertion has no kid and ${candidates.length} of the client's keys fit ${alg} (${candidates.map((k) => `\`${k.kid}\``).join(", ")}); put the signing key's kid in the header.`)) return done();
  }

  if (key) {
    if (await verifySignature(alg, key.jwk, assertion)) {
      result.key = key;
      pass("signature", `The signature verifies with key \`${key.kid}\`.`);
    } else fail("signature", "signature_invalid", `The signature does not verify with key \`${key.kid}\`. Sign with the private key whose public key is registered under this kid.`);
  }
  return done();
}
