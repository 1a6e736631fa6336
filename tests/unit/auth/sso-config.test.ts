// Single sign-on configuration: the console's signing key is read from the formats administrators
// have, dangerous or unusable keys are refused with a message naming the problem, and a client secret
// is used only when no key is configured.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { jwkThumbprint } from "@/lib/crypto/jwk";
import { generateSigningKey, publicJwkOf, readSigningKey, ssoConfig } from "@/lib/auth/sso-config";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-sso-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const ecJwk = ec.privateKey.export({ format: "jwk" });

describe("readSigningKey", () => {
  it("reads a private JWK and names it by its RFC 7638 thumbprint when it has no kid", () => {
    const key = readSigningKey(file("ec.json", JSON.stringify(ecJwk)));
    expect(key.alg).toBe("ES256");
    expect(key.kid).toBe(jwkThumbprint(ecJwk));
    expect(key.jwk).toMatchObject({ kty: "EC", crv: "P-256", d: ecJwk.d, kid: key.kid, alg: "ES256", use: "sig" });
  });

  it("keeps a given kid and alg, and reads a one-key JWKS", () => {
    const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const key = readSigningKey(file("rsa.json", JSON.stringify({ keys: [{ ...rsa, kid: "console-2026", alg: "PS256" }] })));
    expect(key).toMatchObject({ kid: "console-2026", alg: "PS256" });
  });

  it("reads PEM private keys (PKCS#8 and SEC1) and infers the algorithm from the curve", () => {
    const p384 = crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
    expect(readSigningKey(file("p384.pem", p384.export({ format: "pem", type: "pkcs8" }) as string)).alg).toBe("ES384");
    expect(readSigningKey(file("sec1.pem", ec.privateKey.export({ format: "pem", type: "sec1" }) as string)).alg).toBe("ES256");
    const ed = crypto.generateKeyPairSync("ed25519").privateKey;
    expect(readSigningKey(file("ed.pem", ed.export({ format: "pem", type: "pkcs8" }) as string)).alg).toBe("EdDSA");
  });

  const refused: { name: string; content: () => string; message: RegExp }[] = [
    { name: "a public key only", content: () => JSON.stringify(publicJwkOf({ ...ecJwk, kid: "k" })), message: /no private part/ },
    { name: "a symmetric key", content: () => JSON.stringify({ kty: "oct", k: "c2VjcmV0" }), message: /symmetric key/ },
    { name: "a JWKS with two keys", content: () => JSON.stringify({ keys: [ecJwk, ecJwk] }), message: /exactly one key/ },
    { name: "text that is no key", content: () => "hello", message: /no private key Keyshift can read/ },
    { name: "an algorithm that does not fit the key", content: () => JSON.stringify({ ...ecJwk, alg: "RS256" }), message: /RS256 does not fit a EC key/ },
    { name: "an HMAC algorithm", content: () => JSON.stringify({ ...ecJwk, alg: "HS256" }), message: /HS256 does not fit/ },
    {
      name: "an RSA key under 2048 bits",
      content: () => JSON.stringify(crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "jwk" })),
      message: /at least 2048 bits/,
    },
  ];
  for (const { name, content, message } of refused) {
    it(`refuses ${name}`, () => {
      const p = file(`bad-${name.replace(/\W+/g, "-")}`, content());
      expect(() => readSigningKey(p)).toThrow(ConfigError);
      expect(() => readSigningKey(p)).toThrow(message);
    });
  }

  it("says which file it cannot read", () => {
    expect(() => readSigningKey(path.join(dir, "missing.json"))).toThrow(/cannot read .*missing\.json \(ENOENT\)/);
  });
});

describe("ssoConfig", () => {
  const keyFile = () => file("console.json", JSON.stringify(generateSigningKey()));
  const base = { KEYSHIFT_OIDC_ISSUER: "https://idp.example.test", KEYSHIFT_OIDC_CLIENT_ID: "keyshift-console" };

  it("is off without an issuer", () => {
    expect(ssoConfig({})).toBeNull();
  });

  it("uses private_key_jwt when a key file is configured, even beside a client secret", () => {
    const config = ssoConfig({ ...base, KEYSHIFT_OIDC_KEY_FILE: keyFile(), KEYSHIFT_OIDC_CLIENT_SECRET: "shared", KEYSHIFT_OIDC_NAME: "Okta" });
    expect(config).toMatchObject({ issuer: "https://idp.example.test", clientId: "keyshift-console", displayName: "Okta", auth: { method: "private_key_jwt", alg: "ES256" } });
  });

  it("falls back to the client secret only when no key is configured", () => {
    expect(ssoConfig({ ...base, KEYSHIFT_OIDC_CLIENT_SECRET: "shared" })?.auth).toEqual({ method: "client_secret_basic", secret: "shared" });
  });

  it("keeps the issuer exactly as configured (issuers are compared as strings)", () => {
    expect(ssoConfig({ ...base, KEYSHIFT_OIDC_ISSUER: "https://tenant.example.test/", KEYSHIFT_OIDC_CLIENT_SECRET: "s" })?.issuer).toBe("https://tenant.example.test/");
  });

  const broken: { name: string; env: Record<string, string>; message: RegExp }[] = [
    { name: "no client id", env: { KEYSHIFT_OIDC_ISSUER: "https://idp.example.test", KEYSHIFT_OIDC_CLIENT_SECRET: "s" }, message: /KEYSHIFT_OIDC_CLIENT_ID is required/ },
    { name: "neither key nor secret", env: base, message: /KEYSHIFT_OIDC_KEY_FILE \(private_key_jwt, preferred\) or KEYSHIFT_OIDC_CLIENT_SECRET/ },
    { name: "plain http to a remote provider", env: { ...base, KEYSHIFT_OIDC_ISSUER: "http://idp.example.test", KEYSHIFT_OIDC_CLIENT_SECRET: "s" }, message: /must use https/ },
    { name: "an issuer that is no URL", env: { ...base, KEYSHIFT_OIDC_ISSUER: "idp", KEYSHIFT_OIDC_CLIENT_SECRET: "s" }, message: /issuer URL/ },
  ];
  for (const { name, env, message } of broken) {
    it(`explains a configuration with ${name}`, () => {
      expect(() => ssoConfig(env)).toThrow(message);
    });
  }

  it("allows plain http for a provider on localhost (development)", () => {
    expect(ssoConfig({ ...base, KEYSHIFT_OIDC_ISSUER: "http://localhost:3211", KEYSHIFT_OIDC_CLIENT_SECRET: "s" })).not.toBeNull();
  });
});

describe("generateSigningKey", () => {
  it("makes keys whose public half verifies what the private half signs", () => {
    for (const alg of ["ES256", "RS256", "PS256", "EdDSA"] as const) {
      const jwk = generateSigningKey(alg);
      const privateKey = crypto.createPrivateKey({ key: jwk as crypto.JsonWebKey, format: "jwk" });
      const publicJwk = publicJwkOf(jwk);
      expect(publicJwk).not.toHaveProperty("d");
      expect(publicJwk.kid).toBe(jwk.kid);
      const publicKey = crypto.createPublicKey({ key: publicJwk as crypto.JsonWebKey, format: "jwk" });
      const hash = alg === "EdDSA" ? null : "sha256";
      const sig = crypto.sign(hash, Buffer.from("payload"), privateKey);
      expect(crypto.verify(hash, Buffer.from("payload"), publicKey, sig)).toBe(true);
    }
  });
});
