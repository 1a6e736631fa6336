// Runtime configuration from the environment (names documented in README.md). Read lazily so scripts
// and tests can set variables before the first use.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseUrl, providerOf, sqliteFilePath, type Env } from "./db/url";

export class ConfigError extends Error {}

export function port(env: Env = process.env): number {
  return Number(env.PORT ?? 3000);
}

/** The issuer identifier: configured, never derived from request headers (DESIGN.md). */
export function issuer(env: Env = process.env): string {
  const configured = env.KEYSHIFT_ISSUER?.trim();
  if (configured) return configured;
  if (providerOf(databaseUrl(env)) === "postgresql") {
    throw new ConfigError("KEYSHIFT_ISSUER is required when DATABASE_URL points at PostgreSQL");
  }
  return `http://localhost:${port(env)}`;
}

/**
 * The console's public base URL, for links that leave the server (notification emails and webhooks):
 * NEXTAUTH_URL, as the admin CLI's set-password links use, else the embedded default. No trailing slash.
 */
export function consoleUrl(env: Env = process.env): string {
  return (env.NEXTAUTH_URL?.trim() || `http://localhost:${port(env)}`).replace(/\/+$/, "");
}

function decodeMasterKey(text: string): Buffer {
  const value = text.trim();
  const bytes = /^[0-9a-f]+$/i.test(value) && value.length % 2 === 0 ? Buffer.from(value, "hex") : Buffer.from(value, "base64url");
  if (bytes.length < 32) throw new ConfigError("KEYSHIFT_MASTER_KEY must hold at least 32 bytes (64 hex digits or 43 base64url characters)");
  return bytes;
}

/** Where the embedded mode keeps its generated master key: beside the SQLite database. */
export function masterKeyFile(env: Env = process.env): string {
  return path.join(path.dirname(sqliteFilePath(databaseUrl(env))), "master.key");
}

let cachedMasterKey: Buffer | undefined;

/**
 * The root secret from which the session secret, the secret-hash key and the audit-chain key are
 * derived. Embedded mode generates one on first use and keeps it under data/ (mode 0600); with
 * PostgreSQL it must be given, so that every instance shares it.
 */
export function masterKey(env: Env = process.env): Buffer {
  if (cachedMasterKey) return cachedMasterKey;
  const given = env.KEYSHIFT_MASTER_KEY;
  if (given) return (cachedMasterKey = decodeMasterKey(given));
  if (providerOf(databaseUrl(env)) === "postgresql") {
    throw new ConfigError("KEYSHIFT_MASTER_KEY is required when DATABASE_URL points at PostgreSQL");
  }
  const file = masterKeyFile(env);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return (cachedMasterKey = decodeMasterKey(fs.readFileSync(file, "utf8")));
}

export type KeyPurpose = "session" | "secret-hash" | "audit-chain" | "token-hash" | "key-encryption";

/** A 32-byte key for one purpose, derived from the master key with HKDF-SHA-256 (RFC 5869). */
export function derivedKey(purpose: KeyPurpose): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", masterKey(), "keyshift", `keyshift/${purpose}/v1`, 32));
}
