// `kit keygen`: a client's key pair in three files. The private files are readable by their owner only
// and never replace an existing file; the public JWKS is the one to upload in Keyshift.
import fs from "node:fs";
import path from "node:path";
import type { JWK } from "jose";
import type { KeygenOptions } from "./args";
import { generateClientKey } from "./keys";
import { UsageError } from "./usage";

export type KeygenResult = {
  kid: string;
  alg: string;
  files: { privateJwk: string; privatePem: string; publicJwks: string };
  publicJwks: { keys: JWK[] };
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function keyFileNames(dir: string, kid: string): KeygenResult["files"] {
  return {
    privateJwk: path.join(dir, `${kid}.private.jwk.json`),
    privatePem: path.join(dir, `${kid}.private.pem`),
    publicJwks: path.join(dir, `${kid}.public.jwks.json`),
  };
}

export async function keygen(options: KeygenOptions, cwd = process.cwd()): Promise<KeygenResult> {
  const dir = path.resolve(cwd, options.out);
  const key = await generateClientKey(options.alg, { bits: options.bits, kid: options.kid });
  const files = keyFileNames(dir, key.kid);
  const existing = Object.values(files).filter((file) => fs.existsSync(file));
  if (existing.length) throw new UsageError(`--out: ${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; nothing was written (choose another --out or --kid)`);
  const publicJwks = { keys: [key.publicJwk] };
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`--out: cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const written: string[] = [];
  try {
    // "wx": a file that appeared since the check above is still never replaced
    for (const [file, text, mode] of [
      [files.privateJwk, json(key.privateJwk), 0o600],
      [files.privatePem, key.privatePem.endsWith("\n") ? key.privatePem : `${key.privatePem}\n`, 0o600],
      [files.publicJwks, json(publicJwks), 0o644],
    ] as const) {
      fs.writeFileSync(file, text, { mode, flag: "wx" });
      written.push(file);
    }
  } catch (error) {
    // all three or none: a half-written key pair would only confuse
    for (const file of written) fs.rmSync(file, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new UsageError(code === "EEXIST" ? `--out: a key file for ${key.kid} appeared while writing; nothing was kept` : `--out: cannot write into ${dir} (${code})`);
  }
  return { kid: key.kid, alg: key.alg, files, publicJwks };
}
