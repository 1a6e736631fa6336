// `npm start`: apply migrations, create the first administrator on an empty database, build the
// production bundle when there is none or the sources are newer, and serve the console with
// scripts/app-server.ts. `npm run dev` serves with `next dev`.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ssoConfig } from "../lib/auth/sso-config";
import { issuer, masterKey, port } from "../lib/config";
import { databaseUrl, providerOf } from "../lib/db/url";
import { migrateIfNeeded } from "./db";

const root = path.resolve(__dirname, "..");
const nextBin = path.join(root, "node_modules", ".bin", "next");

export async function prepare(): Promise<void> {
  const url = databaseUrl();
  const provider = providerOf(url);
  // fail early, with the variable's name, rather than on the first request
  issuer();
  masterKey();
  const sso = ssoConfig();
  if (sso) {
    const how = sso.auth.method === "private_key_jwt" ? `private_key_jwt, ${sso.auth.alg}, kid ${sso.auth.kid}` : "client secret (set KEYSHIFT_OIDC_KEY_FILE to use private_key_jwt)";
    console.log(`keyshift: single sign-on through ${sso.issuer} as ${sso.clientId} (${how})`);
  }
  console.log(`keyshift: database ${provider === "sqlite" ? url : "PostgreSQL"}; applying migrations…`);
  await migrateIfNeeded();
  const { ensureFirstAdmin } = await import("../lib/bootstrap");
  const boot = await ensureFirstAdmin();
  if (boot.created) {
    console.log(`keyshift: first administrator created: ${boot.email}`);
    if (boot.generatedPassword) {
      // printed once, on the terminal of whoever started the first run; never stored in plaintext
      console.log(`keyshift: generated password (shown only now): ${boot.generatedPassword}`);
    }
  }
  const { disconnect, refreshPlannerStatistics, useWriteAheadLog } = await import("../lib/db");
  await useWriteAheadLog();
  await refreshPlannerStatistics();
  await disconnect();
}

/** Newest modification time among the sources a production build is made from. */
function newestSourceTime(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      if (entry.endsWith(path.join("db", "generated"))) return;
      for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of ["app", "components", "lib", "public", "package-lock.json", "next.config.mjs", "postcss.config.mjs"]) visit(path.join(root, entry));
  return newest;
}

/** A build is needed when there is none, or when a source changed after it was made. */
export function needsBuild(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (process.argv.includes("--rebuild") || !fs.existsSync(buildId)) return true;
  return newestSourceTime() > fs.statSync(buildId).mtimeMs;
}

export function serve(dev: boolean): void {
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port()}`,
    PORT: String(port()),
  };
  if (!dev && needsBuild()) {
    console.log("keyshift: building the production bundle (none yet, or the sources changed)…");
    const build = spawnSync(nextBin, ["build"], { cwd: root, env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  console.log(`keyshift: console at ${env.NEXTAUTH_URL} (issuer ${issuer()})`);
  // production: the app's server (scripts/app-server.ts), Next.js with the token endpoint answered ahead of its router
  const child = dev
    ? spawn(nextBin, ["dev", "-p", env.PORT], { cwd: root, env, stdio: "inherit" })
    : spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "app-server.ts")], { cwd: root, env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

if (require.main === module) {
  prepare()
    .then(() => serve(process.argv.includes("--dev")))
    .catch((error) => {
      console.error(`keyshift: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
