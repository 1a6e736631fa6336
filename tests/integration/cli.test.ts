// The admin CLI (scripts/cli.ts), run as a real process against the suite's database with the same
// environment: what it prints, its exit statuses, and that what it hands over works in the domain.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { signInWithPassword } from "@/lib/auth/signin";
import { disconnect, db, useWriteAheadLog } from "@/lib/db";
import { authenticateApiToken } from "@/lib/tokens/commands";
import { setPasswordWithToken } from "@/lib/users/commands";
import { lastAudit, makeTeam, resetDatabase, uniq } from "./helpers";

const root = path.resolve(__dirname, "../..");
const CONSOLE_URL = "https://keyshift.example.test";
const PASSWORD = "correct horse battery staple";
const LINK = new RegExp(`^${CONSOLE_URL}/set-password/([\\w-]+)\\n$`);

/** Runs the CLI as `npm run keyshift -- …` would (each run: tsx start-up and a migrations check). */
function cli(args: string[], stdin?: string) {
  const result = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/cli.ts", ...args], {
    cwd: root,
    env: { ...process.env, NEXTAUTH_URL: CONSOLE_URL },
    input: stdin ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const newEmail = () => `${uniq("cli")}@example.test`;
let team: { id: string; name: string };

beforeAll(async () => {
  await resetDatabase();
  team = await makeTeam(uniq("cli-team"));
});
afterAll(disconnect);

describe("admin CLI", () => {
  it("runs beside a running console: with SQLite in WAL mode and the file held open by another process", async () => {
    // what npm start does; this test process keeps its connection open, as the console would
    await useWriteAheadLog();
    await db().user.count();
    const run = cli(["user", "create", "--email", newEmail(), "--role", "auditor"]);
    expect(run.status, run.stderr).toBe(0);
  });

  it("user create prints only a set-password link whose token sets the password, audited as system:cli", async () => {
    const email = newEmail();
    const run = cli(["user", "create", "--email", email, "--role", "operator", "--team", team.name]);
    expect(run.status, run.stderr).toBe(0);
    const token = LINK.exec(run.stdout)?.[1];
    expect(token, run.stdout).toBeTruthy();
    expect(run.stderr).toContain(`created operator ${email} in ${team.name}`);
    const user = await db().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.memberships.map((m) => m.teamId)).toEqual([team.id]);
    expect(await lastAudit()).toMatchObject({ action: "user.create", actorType: "system", actorEmail: "system:cli", targetName: email });
    await expect(setPasswordWithToken(token!, PASSWORD)).resolves.toEqual({ email });
  });

  it("user create --password reads the password from stdin, and the user can sign in with it", async () => {
    const email = newEmail();
    const run = cli(["user", "create", "--email", email, "--role", "auditor", "--password"], `${PASSWORD}\n`);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(await signInWithPassword(email, PASSWORD, "198.51.100.20")).toMatchObject({ ok: true, user: { email } });
  });

  it("user reset-password prints a fresh link that works", async () => {
    const email = newEmail();
    expect(cli(["user", "create", "--email", email, "--role", "admin", "--password"], `${PASSWORD}\n`).status).toBe(0);
    const run = cli(["user", "reset-password", "--email", email]);
    expect(run.status, run.stderr).toBe(0);
    const token = LINK.exec(run.stdout)?.[1];
    await expect(setPasswordWithToken(token!, "another long passphrase")).resolves.toEqual({ email });
    expect(await signInWithPassword(email, "another long passphrase", "198.51.100.21")).toMatchObject({ ok: true });
  });

  it("refuses a duplicate email with exit 4 and the domain's message", async () => {
    const existing = (await db().user.findFirstOrThrow()).email;
    const before = await db().user.count();
    const run = cli(["user", "create", "--email", existing.toUpperCase(), "--role", "operator"]);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain("A user with this email already exists.");
    expect(run.stderr).toContain("--email: This email is taken");
    expect(run.stdout).toBe("");
    expect(await db().user.count()).toBe(before);
  });

  it("rejects an unknown option with exit 2, naming it, before touching the database", () => {
    const run = cli(["user", "create", "--email", newEmail(), "--role", "operator", "--admin"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("user create: unknown option --admin");
    expect(run.stderr).toContain("npm run keyshift -- help");
  });

  it("api-token create prints only the token, which authenticates as that user", async () => {
    const user = await db().user.findFirstOrThrow({ where: { role: "operator" } });
    const run = cli(["api-token", "create", "--email", user.email, "--name", "ci deploy", "--expires-in", "7"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ksa_[\w-]+\n$/);
    const actor = await authenticateApiToken(`Bearer ${run.stdout.trim()}`);
    expect(actor).toMatchObject({ id: user.id, email: user.email, via: { type: "api_token", name: "ci deploy" } });
    expect(await lastAudit()).toMatchObject({ action: "api_token.create", actorEmail: "system:cli", targetName: user.email });
  });

  it("audit verify reports a sound chain with its length and last hash, exit 0", async () => {
    const report = await verifyAuditChain();
    if (!report.ok) throw new Error(`chain unexpectedly broken at ${report.brokenSeq}`);
    const run = cli(["audit", "verify"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`audit chain OK: ${report.entries} entries, last #${report.lastSeq} hash ${report.lastHash}\n`);
  });

  it("audit verify exits 3 and names the first altered entry", async () => {
    const original = await db().auditEvent.findUniqueOrThrow({ where: { seq: 2 } });
    await db().auditEvent.update({ where: { seq: 2 }, data: { details: original.details.replace("}", ',"note":"nothing to see"}') } });
    try {
      const run = cli(["audit", "verify"]);
      expect(run.status).toBe(3);
      expect(run.stdout).toBe("audit chain BROKEN at entry #2: its contents do not match its hash (the entry was altered) (1 earlier entry verifies)\n");
    } finally {
      await db().auditEvent.update({ where: { seq: 2 }, data: { details: original.details } });
    }
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
