// The admin CLI's commands. Each parses its options, opens the database (migrations first) and calls
// one domain function as the system actor "cli"; the domain enforces the rules and writes the audit
// entry, exactly as for the console.
import fs from "node:fs";
import path from "node:path";
import { verifyAuditChain } from "../../lib/audit/verify";
import { generateSigningKey, publicJwkOf } from "../../lib/auth/sso-config";
import { port } from "../../lib/config";
import { db } from "../../lib/db";
import { invalid, notFound } from "../../lib/errors";
import { createApiToken } from "../../lib/tokens/commands";
import { createUser, issuePasswordLink, PASSWORD_LINK_HOURS, setPasswordWithToken } from "../../lib/users/commands";
import { PasswordSchema } from "../../lib/users/schema";
import { parseOptions, required } from "./args";
import { CLI_ACTOR, openDatabase, type Command } from "./context";
import { exportInventory, importInventory } from "./inventory";
import { readPassword } from "./stdin";
import { CliFailure, EXIT, UsageError } from "./usage";

const say = (line: string) => process.stderr.write(`keyshift: ${line}\n`);
const handOver = (value: string) => process.stdout.write(`${value}\n`);

async function userByEmail(email: string): Promise<{ id: string; email: string }> {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true } });
  if (!user) throw notFound(`The user ${email.trim()}`);
  return user;
}

async function teamsByName(names: string[]): Promise<{ id: string; name: string }[]> {
  const wanted = [...new Set(names.map((n) => n.trim()))];
  const teams = await db().team.findMany({ where: { name: { in: wanted } }, select: { id: true, name: true } });
  const missing = wanted.filter((name) => !teams.some((t) => t.name === name));
  if (missing.length) throw invalid(`No team is named ${missing.map((n) => `"${n}"`).join(", ")}.`, { team: "Create the team first (Teams page), or check the spelling" });
  return teams;
}

function setPasswordUrl(token: string): string {
  const base = (process.env.NEXTAUTH_URL?.trim() || `http://localhost:${port()}`).replace(/\/+$/, "");
  return `${base}/set-password/${token}`;
}

function handOverLink(link: { token: string; expiresAt: Date }): void {
  say(`one-time set-password link, valid ${PASSWORD_LINK_HOURS} hours (until ${link.expiresAt.toISOString()}):`);
  handOver(setPasswordUrl(link.token));
}

/** Read and checked before anything is created, so a weak password leaves no half-made user. */
async function readNewPassword(): Promise<string> {
  const parsed = PasswordSchema.safeParse(await readPassword());
  if (!parsed.success) throw invalid("Choose a stronger password.", { password: parsed.error.issues[0].message });
  return parsed.data;
}

const userCreate: Command = async (args) => {
  const values = parseOptions("user create", args, {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    team: { type: "string", multiple: true },
    password: { type: "boolean" },
  });
  const email = required("user create", values, "email").trim().toLowerCase();
  const role = required("user create", values, "role");
  const password = values.password ? await readNewPassword() : undefined;
  await openDatabase();
  const teams = await teamsByName(values.team ?? []);
  const created = await createUser(CLI_ACTOR, { email, role, name: values.name ?? email.split("@")[0], teamIds: teams.map((t) => t.id) });
  const membership = teams.length ? ` in ${teams.map((t) => t.name).join(", ")}` : "";
  if (password === undefined) {
    say(`created ${role} ${email}${membership}`);
    handOverLink(created);
  } else {
    // the same one-time link the console hands out, consumed at once: the password rules live in one place
    await setPasswordWithToken(created.token, password, undefined, CLI_ACTOR).catch((error: unknown) => {
      say(`created ${role} ${email}, but setting the password failed; \`user reset-password --email ${email}\` issues a link`);
      throw error;
    });
    say(`created ${role} ${email}${membership} with the password read from standard input`);
  }
  return EXIT.ok;
};

const userResetPassword: Command = async (args) => {
  const values = parseOptions("user reset-password", args, { email: { type: "string" } });
  const email = required("user reset-password", values, "email");
  await openDatabase();
  const user = await userByEmail(email);
  const link = await issuePasswordLink(CLI_ACTOR, user.id);
  say(`new password link for ${user.email} (any earlier unused link no longer works)`);
  handOverLink(link);
  return EXIT.ok;
};

const apiTokenCreate: Command = async (args) => {
  const values = parseOptions("api-token create", args, { email: { type: "string" }, name: { type: "string" }, "expires-in": { type: "string" } });
  const email = required("api-token create", values, "email");
  const name = required("api-token create", values, "name");
  await openDatabase();
  const user = await userByEmail(email);
  const created = await createApiToken(CLI_ACTOR, user.id, { name, expiresInDays: values["expires-in"] });
  say(`API token "${name.trim()}" (${created.hint}…) for ${user.email}, expires ${created.expiresAt.toISOString()}; shown only now:`);
  handOver(created.token);
  return EXIT.ok;
};

const auditVerify: Command = async (args) => {
  parseOptions("audit verify", args, {});
  await openDatabase();
  const report = await verifyAuditChain();
  if (!report.ok) {
    const before = report.entries === 1 ? "1 earlier entry verifies" : `${report.entries} earlier entries verify`;
    handOver(`audit chain BROKEN at entry #${report.brokenSeq}: ${report.reason} (${before})`);
    return EXIT.auditChainBroken;
  }
  handOver(report.lastSeq === null ? "audit chain OK: 0 entries" : `audit chain OK: ${report.entries} entries, last #${report.lastSeq} hash ${report.lastHash}`);
  return EXIT.ok;
};

/** Command groups and their actions, as typed (`user create`, `audit verify`, …), or single commands (`import`). */
const SSO_KEY_ALGS = ["ES256", "RS256", "PS256", "EdDSA"] as const;

/** No database: a key pair for the console's own private_key_jwt sign-in at the organisation's provider. */
const ssoKeygen: Command = async (args) => {
  const values = parseOptions("sso keygen", args, { out: { type: "string" }, alg: { type: "string" }, force: { type: "boolean" } });
  const out = required("sso keygen", values, "out");
  const alg = values.alg ?? "ES256";
  if (!(SSO_KEY_ALGS as readonly string[]).includes(alg)) throw new UsageError(`sso keygen: --alg must be one of ${SSO_KEY_ALGS.join(", ")}`);
  const jwk = generateSigningKey(alg as (typeof SSO_KEY_ALGS)[number]);
  try {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    // the private key is readable by its owner only, and an existing key is never overwritten by accident
    fs.writeFileSync(out, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: values.force ? "w" : "wx" });
    if (values.force) fs.chmodSync(out, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw invalid(`${out} already exists.`, { out: "Choose another file, or add --force to replace the key" });
    throw new CliFailure(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  say(`private key written to ${out} (mode 0600): set KEYSHIFT_OIDC_KEY_FILE=${out}`);
  say("register this public JWKS for the console's client at your identity provider (token_endpoint_auth_method private_key_jwt):");
  handOver(JSON.stringify({ keys: [publicJwkOf(jwk)] }, null, 2));
  return EXIT.ok;
};

export const COMMANDS: Record<string, Record<string, Command> | Command> = {
  user: { create: userCreate, "reset-password": userResetPassword },
  "api-token": { create: apiTokenCreate },
  audit: { verify: auditVerify },
  sso: { keygen: ssoKeygen },
  import: importInventory,
  export: exportInventory,
};
