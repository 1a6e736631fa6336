// Which database a DATABASE_URL names. Shared by the runtime client factory, the Prisma CLI
// configuration and the scripts, so they can never disagree.
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/keyshift.db";

export type Provider = "sqlite" | "postgresql";

/** Environment variables as plain strings (process.env, or a test's own object). */
export type Env = Record<string, string | undefined>;

export function databaseUrl(env: Env = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

export function providerOf(url: string): Provider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${url.split(":")[0]}:…")`);
}

/** Absolute path of a `file:` URL, relative paths taken from the working directory (the project root). */
export function sqliteFilePath(url: string = databaseUrl()): string {
  const rest = url.replace(/^file:/, "").split("?")[0];
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), rest);
}
