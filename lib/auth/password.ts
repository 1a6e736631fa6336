// Password hashing with scrypt, a memory-hard function built into Node.js (RFC 7914). Parameters
// follow OWASP's scrypt recommendation (N=2^17, r=8, p=1: 128 MiB) and are stored with each hash,
// so they can be raised later without invalidating existing passwords.
import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

const N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export const PASSWORD_MIN_LENGTH = 12;

function options(n: number, r: number, p: number): crypto.ScryptOptions {
  return { N: n, r, p, maxmem: 256 * n * r + 16 * 1024 * 1024 };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options(N, R, P));
  return `$scrypt$ln=${Math.log2(N)},r=${R},p=${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!match) return false;
  const [, ln, r, p, salt, expected] = match;
  const expectedKey = Buffer.from(expected, "base64url");
  const key = await scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64url"), expectedKey.length, options(2 ** Number(ln), Number(r), Number(p)));
  return crypto.timingSafeEqual(key, expectedKey);
}

/** A dummy hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword(crypto.randomBytes(16).toString("hex")));
}

/** A readable random password for generated first-administrator accounts. */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString("base64url");
}
