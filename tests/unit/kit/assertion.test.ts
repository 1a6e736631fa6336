// The kit's client assertion: the claims Keyshift's token endpoint (and rfc7523bis) require, checked
// claim by claim and then by the endpoint's own rules; and the key files it signs with.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, jwtVerify, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAssertion } from "@/lib/kit/assertion";
import { keygen } from "@/lib/kit/keygen";
import { readSigningKey, type SigningKey } from "@/lib/kit/keys";
import { runKit } from "@/lib/kit/run";
import { EXIT, UsageError } from "@/lib/kit/usage";
import { checkAssertion } from "@/lib/oauth/assertion";
import { ASSERTION_ALGORITHMS } from "@/lib/oauth/algorithms";

const ISSUER = "https://as.example.test/tenant-a";
let dir: string;
let es256: { jwkFile: string; pemFile: string; kid: string };
let key: SigningKey;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-assertion-"));
  const made = await keygen({ alg: "ES256", bits: 2048, out: "." }, dir);
  es256 = { jwkFile: made.files.privateJwk, pemFile: made.files.privatePem, kid: made.kid };
  key = await readSigningKey(es256.jwkFile);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const claimsOf = (jws: string) => JSON.parse(Buffer.from(jws.split(".")[1], "base64url").toString()) as Record<string, unknown>;

describe("signAssertion", () => {
  it("sets iss = sub = client_id, aud = the issuer as one string, exp = iat + lifetime, a jti, and kid and typ in the header", async () => {
    const now = new Date("2026-11-28T10:00:00Z");
    const jws = await signAssertion({ clientId: "billing", issuer: ISSUER, key, lifetimeSeconds: 60, typ: "JWT", now });
    const claims = claimsOf(jws);
    expect(claims).toEqual({ iss: "billing", sub: "billing", aud: ISSUER, iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 60, jti: expect.any(String) });
    expect(typeof claims.aud).toBe("string");
    expect(decodeProtectedHeader(jws)).toEqual({ alg: "ES256", typ: "JWT", kid: es256.kid });
    const { payload } = await jwtVerify(jws, await importJWK(key.publicJwk, "ES256"), { audience: ISSUER, issuer: "billing", currentDate: now });
    expect(payload.sub).toBe("billing");
  });

  it("keeps the issuer exactly as given, trailing slash and all, never the token endpoint", async () => {
    const claims = claimsOf(await signAssertion({ clientId: "c", issuer: "https://as.example.test/", key, lifetimeSeconds: 60, typ: "JWT" }));
    expect(claims.aud).toBe("https://as.example.test/");
  });

  it("draws a new jti for every assertion", async () => {
    const jtis = await Promise.all(Array.from({ length: 50 }, () => signAssertion({ clientId: "c", issuer: ISSUER, key, lifetimeSeconds: 60, typ: "JWT" }).then((j) => claimsOf(j).jti)));
    expect(new Set(jtis).size).toBe(50);
  });

  it.each([
    { lifetimeSeconds: 1, ok: true },
    { lifetimeSeconds: 300, ok: true },
    { lifetimeSeconds: 0, ok: false },
    { lifetimeSeconds: 301, ok: false },
    { lifetimeSeconds: 30.5, ok: false },
  ])("lifetime $lifetimeSeconds s: allowed = $ok", async ({ lifetimeSeconds, ok }) => {
    const signing = signAssertion({ clientId: "c", issuer: ISSUER, key, lifetimeSeconds, typ: "JWT" });
    if (ok) {
      const claims = claimsOf(await signing);
      expect((claims.exp as number) - (claims.iat as number)).toBe(lifetimeSeconds);
    } else await expect(signing).rejects.toThrow(/--lifetime must be a whole number of seconds from 1 to 300/);
  });

  it.each(["JWT", "client-authentication+jwt"] as const)("passes every rule of Keyshift's token endpoint with typ %s", async (typ) => {
    const now = new Date();
    const jws = await signAssertion({ clientId: "billing", issuer: ISSUER, key, lifetimeSeconds: 60, typ, now });
    const result = await checkAssertion(
      jws,
      {
        clientId: "billing",
        issuer: ISSUER,
        tokenEndpoint: `${ISSUER}/oauth/token`,
        audienceCompat: false,
        keys: [{ id: "1", kid: es256.kid, jwk: key.publicJwk, status: "active", notBefore: null, expiresAt: null, retiringUntil: null }],
        policy: { allowedAlgorithms: ASSERTION_ALGORITHMS, maxLifetimeSeconds: 60, clockSkewSeconds: 30 },
        now,
      },
      { stopAtFirstFailure: false },
    );
    expect(result.verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(result.audienceForm).toBe("issuer");
  });
});

describe("readSigningKey", () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { mode: 0o600 });
    return file;
  };

  it("reads keygen's PEM with the same kid (the thumbprint) and alg as its JWK", async () => {
    const fromPem = await readSigningKey(es256.pemFile);
    expect({ alg: fromPem.alg, kid: fromPem.kid }).toEqual({ alg: "ES256", kid: es256.kid });
  });

  it("reads a PKCS#1 RSA PEM with --alg and --kid, and gives a JWK without kid its thumbprint", async () => {
    const { privateKey } = await generateKeyPair("PS256", { extractable: true });
    const pkcs1 = crypto.createPrivateKey(await exportPKCS8(privateKey)).export({ format: "pem", type: "pkcs1" }).toString();
    const fromPem = await readSigningKey(write("rsa.pem", pkcs1), { alg: "PS256", kid: "rsa-1" });
    expect({ alg: fromPem.alg, kid: fromPem.kid }).toEqual({ alg: "PS256", kid: "rsa-1" });
    const fromJwk = await readSigningKey(write("nokid.json", JSON.stringify({ ...(await exportJWK(privateKey)), alg: "PS256" })));
    expect(fromJwk.kid).toBe(await calculateJwkThumbprint(fromJwk.publicJwk, "sha256"));
  });

  it.each([
    { name: "a missing file", file: () => path.join(dir, "absent.pem"), flags: {}, expected: /--key: cannot read .*absent\.pem \(ENOENT\)/ },
    { name: "a public JWKS", file: () => write("pub.json", fs.readFileSync(es256.jwkFile, "utf8").replace(/"d":\s*"[^"]+",?/, "")), flags: {}, expected: /--key: .* holds a public key \(no "d"\)/ },
    { name: "a symmetric JWK", file: () => write("oct.json", JSON.stringify({ kty: "oct", k: "c2VjcmV0" })), flags: {}, expected: /symmetric key/ },
    { name: "not JSON", file: () => write("broken.json", "{ nope"), flags: {}, expected: /--key: .* is not valid JSON/ },
    { name: "an RSA PEM without --alg", file: () => write("rsa-noalg.pem", crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString()), flags: {}, expected: /--alg is required for an RSA key/ },
    { name: "a 1024-bit RSA key", file: () => write("rsa1024.pem", crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString()), flags: { alg: "RS256" }, expected: /--key: the RSA key has 1024 bits, fewer than 2048/ },
    { name: "--alg that does not fit the key", file: () => es256.pemFile, flags: { alg: "RS256" }, expected: /--key: RS256 needs an RSA key, this key is EC/ },
    { name: "--alg other than the JWK's", file: () => es256.jwkFile, flags: { alg: "ES384" }, expected: /--alg ES384 differs from the key file's alg ES256/ },
    { name: "an encrypted PEM", file: () => write("enc.pem", crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "pw" }).toString()), flags: {}, expected: /is encrypted/ },
  ])("refuses $name, naming the option", async ({ file, flags, expected }) => {
    const reading = readSigningKey(file(), flags);
    await expect(reading).rejects.toThrow(UsageError);
    await expect(readSigningKey(file(), flags)).rejects.toThrow(expected);
  });

  it("refuses a public key PEM", async () => {
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    await expect(readSigningKey(write("pub.pem", await exportSPKI(publicKey)))).rejects.toThrow(/holds a public key or certificate/);
  });
});

describe("kit assertion", () => {
  it("prints one compact JWS and nothing else, and never the key", async () => {
    let out = "";
    let err = "";
    const code = await runKit(["assertion", "--client-id", "billing", "--key", es256.jwkFile, "--issuer", ISSUER, "--lifetime", "120"], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    expect(code).toBe(EXIT.ok);
    expect(err).toBe("");
    expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = claimsOf(out.trim());
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    const d = (JSON.parse(fs.readFileSync(es256.jwkFile, "utf8")) as { d: string }).d;
    expect(out).not.toContain(d);
  });

  it("exits 2 naming --key when the key file is missing", async () => {
    let err = "";
    const code = await runKit(["assertion", "--client-id", "c", "--key", path.join(dir, "nope.json"), "--issuer", ISSUER], { stdout: () => {}, stderr: (t) => (err += t) });
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/^kit: --key: cannot read/);
  });
});
