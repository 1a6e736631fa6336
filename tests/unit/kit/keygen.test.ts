// keygen's files: the private key readable by its owner only, the public JWKS free of any private
// member, the thumbprint as kid, and never an existing file replaced.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { calculateJwkThumbprint, type JWK } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KEYGEN_ALGORITHMS } from "@/lib/kit/args";
import { keygen } from "@/lib/kit/keygen";
import { readSigningKey } from "@/lib/kit/keys";
import { runKit } from "@/lib/kit/run";
import { EXIT, UsageError } from "@/lib/kit/usage";
import { validateJwksDocument } from "@/lib/keys/validate";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-keygen-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("keygen", () => {
  it.each(KEYGEN_ALGORITHMS.map((alg) => ({ alg })))("writes a $alg key pair: private files 0600, a public JWKS with no private member, kid = thumbprint", async ({ alg }) => {
    const result = await keygen({ alg, bits: 2048, out: "keys" }, dir);
    const keysDir = path.join(dir, "keys");
    expect(result.files).toEqual({
      privateJwk: path.join(keysDir, `${result.kid}.private.jwk.json`),
      privatePem: path.join(keysDir, `${result.kid}.private.pem`),
      publicJwks: path.join(keysDir, `${result.kid}.public.jwks.json`),
    });
    expect(mode(result.files.privateJwk)).toBe(0o600);
    expect(mode(result.files.privatePem)).toBe(0o600);
    expect(fs.readFileSync(result.files.privatePem, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);

    const jwks = JSON.parse(fs.readFileSync(result.files.publicJwks, "utf8")) as { keys: JWK[] };
    expect(jwks).toEqual(result.publicJwks);
    expect(jwks.keys).toHaveLength(1);
    const [pub] = jwks.keys;
    for (const member of PRIVATE_MEMBERS) expect(pub).not.toHaveProperty(member);
    expect(pub).toMatchObject({ kid: result.kid, alg, use: "sig" });
    expect(result.kid).toBe(await calculateJwkThumbprint(pub, "sha256"));

    const privateJwk = JSON.parse(fs.readFileSync(result.files.privateJwk, "utf8")) as JWK;
    expect(privateJwk).toMatchObject({ kid: result.kid, alg, use: "sig" });
    expect(privateJwk.d).toBeTruthy();
    // both private files hold the same key, and Keyshift accepts the public JWKS as an upload
    expect((await readSigningKey(result.files.privatePem, alg.startsWith("RS") || alg.startsWith("PS") ? { alg } : {})).publicJwk).toEqual(pub);
    expect((await readSigningKey(result.files.privateJwk)).publicJwk).toEqual(pub);
    expect(validateJwksDocument(JSON.stringify(jwks), { mode: "upload", now: new Date() }).keys.map((k) => k.kid)).toEqual([result.kid]);
  });

  it("makes RSA keys of the size asked for, 2048 bits by default", async () => {
    const bitsOf = (jwk: JWK) => Buffer.from(jwk.n!, "base64url").length * 8;
    expect(bitsOf((await keygen({ alg: "RS256", bits: 2048, out: "." }, dir)).publicJwks.keys[0])).toBe(2048);
    expect(bitsOf((await keygen({ alg: "PS256", bits: 3072, out: "." }, dir)).publicJwks.keys[0])).toBe(3072);
  });

  it("uses --kid for the kid and the file names", async () => {
    const result = await keygen({ alg: "ES256", bits: 2048, kid: "billing-2026", out: "." }, dir);
    expect(result.kid).toBe("billing-2026");
    expect(fs.readdirSync(dir).sort()).toEqual(["billing-2026.private.jwk.json", "billing-2026.private.pem", "billing-2026.public.jwks.json"]);
  });

  it("refuses to overwrite an existing key file, and writes nothing", async () => {
    fs.writeFileSync(path.join(dir, "billing.private.pem"), "keep me");
    await expect(keygen({ alg: "ES256", bits: 2048, kid: "billing", out: "." }, dir)).rejects.toThrow(UsageError);
    await expect(keygen({ alg: "ES256", bits: 2048, kid: "billing", out: "." }, dir)).rejects.toThrow(/--out: .*billing\.private\.pem already exists; nothing was written/);
    expect(fs.readdirSync(dir)).toEqual(["billing.private.pem"]);
    expect(fs.readFileSync(path.join(dir, "billing.private.pem"), "utf8")).toBe("keep me");
  });

  it("prints only the public JWKS on standard output and names the file to upload on standard error", async () => {
    let out = "";
    let err = "";
    const code = await runKit(["keygen", "--alg", "EdDSA", "--out", dir], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    expect(code).toBe(EXIT.ok);
    const printed = JSON.parse(out) as { keys: JWK[] };
    expect(printed.keys[0]).not.toHaveProperty("d");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toContain(`upload ${path.join(dir, `${printed.keys[0].kid}.public.jwks.json`)} in Keyshift`);
    expect(err).toMatch(/must never leave the client/);
    const second = await runKit(["keygen", "--alg", "EdDSA", "--out", dir, "--kid", printed.keys[0].kid!], { stdout: () => {}, stderr: (t) => (err = t) });
    expect(second).toBe(EXIT.usage);
  });
});
