// Single sign-on through the organisation's OpenID Connect provider, configured by KEYSHIFT_OIDC_*.
// The console authenticates to that provider with private_key_jwt when a key file is given, and falls
// back to a client secret only without one: Keyshift practises what it asks of the clients it manages.
import crypto from "node:crypto";
import fs from "node:fs";
import type { JWK } from "jose";
import { ConfigError } from "../config";
import { jwkThumbprint } from "../crypto/jwk";
import { MIN_RSA_BITS, rsaBits } from "../oauth/algorithms";
import type { Env } from "../db/url";

export type SsoClientAuth =
  | { method: "private_key_jwt"; alg: string; jwk: JWK; kid: string }
  | { method: "client_secret_basic"; secret: string };

export type SsoConfig = {
  /** exactly as configured: issuer identifiers are compared as strings */
  issuer: string;
  clientId: string;
  /** the provider's name on the sign-in button */
  displayName: string;
  auth: SsoClientAuth;
};

/** The signature algorithm a key implies when its JWK names none. */
function defaultAlg(jwk: JWK): string {
  if (jwk.kty === "EC") {
    const byCurve: Record<string, string> = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };
    const alg = jwk.crv ? byCurve[jwk.crv] : undefined;
    if (alg) return alg;
  }
  if (jwk.kty === "RSA") return "RS256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  throw new ConfigError(`KEYSHIFT_OIDC_KEY_FILE: a ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ""} key cannot sign client assertions (use EC P-256/P-384/P-521, RSA or Ed25519)`);
}

const ALGS_OF: Record<string, RegExp> = { EC: /^ES(256|384|512)$/, RSA: /^(RS|PS)(256|384|512)$/, OKP: /^(EdDSA|Ed25519)$/ };

/**
 * Reads the console's private signing key: a private JWK (JSON, optionally inside a one-key JWKS) or
 * a PEM private key (PKCS#8, SEC1 or PKCS#1). A missing `kid` becomes the RFC 7638 thumbprint, so the
 * provider can tell keys apart across a rotation.
 */
export function readSigningKey(file: string, algOverride?: string): { jwk: JWK; alg: string; kid: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`KEYSHIFT_OIDC_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let key: crypto.KeyObject;
  let given: JWK = {};
  try {
    if (text.trim().startsWith("{")) {
      const parsed = JSON.parse(text) as JWK & { keys?: JWK[] };
      if (parsed.keys) {
        if (parsed.keys.length !== 1) throw new ConfigError("KEYSHIFT_OIDC_KEY_FILE: a JWKS must hold exactly one key");
        given = parsed.keys[0];
      } else given = parsed;
      if (given.kty === "oct") throw new ConfigError("KEYSHIFT_OIDC_KEY_FILE: a symmetric key cannot be used for private_key_jwt");
      if (!given.d) throw new ConfigError("KEYSHIFT_OIDC_KEY_FILE: the JWK has no private part (`d`); give the private key");
      key = crypto.createPrivateKey({ key: given as crypto.JsonWebKey, format: "jwk" });
    } else {
      key = crypto.createPrivateKey(text);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`KEYSHIFT_OIDC_KEY_FILE: ${file} holds no private key Keyshift can read (a private JWK or a PEM private key)`);
  }
  const exported = key.export({ format: "jwk" }) as JWK;
  const alg = algOverride || given.alg || defaultAlg(exported);
  const family = ALGS_OF[exported.kty ?? ""];
  if (!family?.test(alg)) throw new ConfigError(`KEYSHIFT_OIDC_KEY_FILE: algorithm ${alg} does not fit a ${exported.kty} key`);
  if (exported.kty === "RSA" && rsaBits(exported) < MIN_RSA_BITS) {
    throw new ConfigError(`KEYSHIFT_OIDC_KEY_FILE: an RSA key must have at least ${MIN_RSA_BITS} bits`);
  }
  const kid = given.kid ?? jwkThumbprint(exported);
  return { jwk: { ...exported, kid, alg, use: "sig" }, alg, kid };
}

/** The public half of a private JWK, to register at the provider. */
export function publicJwkOf(jwk: JWK): JWK {
  const key = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: "jwk" });
  return { ...(key.export({ format: "jwk" }) as JWK), kid: jwk.kid, alg: jwk.alg, use: "sig" };
}

/** SSO settings from the environment, or null when KEYSHIFT_OIDC_ISSUER is not set. */
export function ssoConfig(env: Env = process.env): SsoConfig | null {
  const issuer = env.KEYSHIFT_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError("KEYSHIFT_OIDC_ISSUER must be the provider's issuer URL");
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    throw new ConfigError("KEYSHIFT_OIDC_ISSUER must use https (plain http only for a provider on localhost)");
  }
  const clientId = env.KEYSHIFT_OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new ConfigError("KEYSHIFT_OIDC_CLIENT_ID is required with KEYSHIFT_OIDC_ISSUER");
  const keyFile = env.KEYSHIFT_OIDC_KEY_FILE?.trim();
  const secret = env.KEYSHIFT_OIDC_CLIENT_SECRET;
  let auth: SsoClientAuth;
  if (keyFile) {
    auth = { method: "private_key_jwt", ...readSigningKey(keyFile, env.KEYSHIFT_OIDC_SIGNING_ALG?.trim()) };
  } else if (secret) {
    auth = { method: "client_secret_basic", secret };
  } else {
    throw new ConfigError("Single sign-on needs KEYSHIFT_OIDC_KEY_FILE (private_key_jwt, preferred) or KEYSHIFT_OIDC_CLIENT_SECRET");
  }
  return { issuer, clientId, displayName: env.KEYSHIFT_OIDC_NAME?.trim() || "single sign-on", auth };
}

/** A new signing key for the console (P-256 unless asked otherwise), as a private JWK with its thumbprint as `kid`. */
export function generateSigningKey(alg: "ES256" | "RS256" | "PS256" | "EdDSA" = "ES256"): JWK {
  const pair =
    alg === "ES256"
      ? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" })
      : alg === "EdDSA"
        ? crypto.generateKeyPairSync("ed25519")
        : crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });
  const jwk = pair.privateKey.export({ format: "jwk" }) as JWK;
  return { ...jwk, kid: jwkThumbprint(jwk), alg, use: "sig" };
}
