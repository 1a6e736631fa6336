// The role × command matrix: every allowed cell succeeds; every denied cell answers "forbidden" and
// writes nothing (no audit entry, the target unchanged).
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM, type UserActor } from "@/lib/auth/actor";
import { createClient, deleteClient, setClientEnabled, updateClient } from "@/lib/clients/commands";
import { disconnect, db } from "@/lib/db";
import { addKeys } from "@/lib/keys/lifecycle";
import { rotateServerKeys } from "@/lib/oauth/server-keys";
import { issueSecret, revokeSecret, rotateSecret } from "@/lib/secrets/commands";
import { updateSettings } from "@/lib/settings";
import { createTeam, deleteTeam, updateTeam } from "@/lib/teams/commands";
import { createUser, issuePasswordLink, setUserDisabled, updateUser } from "@/lib/users/commands";
import { auditCount, clientInput, makeCast, rejection, resetDatabase, uniq, type Cast } from "./helpers";

type Who = "admin" | "operatorOwner" | "operatorOther" | "auditor";
const EVERYONE: Who[] = ["admin", "operatorOwner", "operatorOther", "auditor"];
const OWNERS: Who[] = ["admin", "operatorOwner"];
const ADMINS: Who[] = ["admin"];

let cast: Cast;

/** A fresh client owned by team A, created by the system (its secret included). */
async function clientOfTeamA() {
  const created = await createClient(SYSTEM, clientInput(cast.teamA.id));
  return { id: created.id, clientId: created.clientId, secretId: created.secret!.id };
}

const clientState = (id: string) =>
  db().client.findUnique({ where: { id }, include: { secrets: { orderBy: { createdAt: "asc" } }, keys: { orderBy: { kid: "asc" } } } });

const publicJwks = () => JSON.stringify({ keys: [{ ...crypto.generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }), kid: "ed-1" }] });

const userState = (id: string) => db().user.findUnique({ where: { id }, include: { memberships: true, passwordTokens: true } });

type Command = {
  name: string;
  allowed: Who[];
  setup: () => Promise<Record<string, string>>;
  run: (actor: UserActor, ctx: Record<string, string>) => Promise<unknown>;
  /** everything the command could change, to compare before and after a denied attempt */
  state: (ctx: Record<string, string>) => Promise<unknown>;
};

const COMMANDS: Command[] = [
  {
    name: "createClient",
    allowed: OWNERS,
    setup: async () => ({ clientId: uniq("new-client") }),
    run: (actor, ctx) => createClient(actor, clientInput(cast.teamA.id, { clientId: ctx.clientId })),
    state: (ctx) => db().client.findMany({ where: { clientId: ctx.clientId } }),
  },
  {
    name: "updateClient",
    allowed: OWNERS,
    setup: clientOfTeamA,
    run: (actor, ctx) => updateClient(actor, ctx.id, clientInput(cast.teamA.id, { name: "Renamed", environment: "staging" })),
    state: (ctx) => clientState(ctx.id),
  },
  {
    name: "setClientEnabled",
    allowed: OWNERS,
    setup: clientOfTeamA,
    run: (actor, ctx) => setClientEnabled(actor, ctx.id, false),
    state: (ctx) => clientState(ctx.id),
  },
  {
    name: "deleteClient",
    allowed: OWNERS,
    setup: clientOfTeamA,
    run: (actor, ctx) => deleteClient(actor, ctx.id, ctx.clientId),
    state: (ctx) => clientState(ctx.id),
  },
  {
    name: "issueSecret",
    allowed: OWNERS,
    setup: async () => {
      const client = await clientOfTeamA();
      await revokeSecret(SYSTEM, client.id, client.secretId); // issuing needs a client without a valid secret
      return client;
    },
    run: (actor, ctx) => issueSecret(actor, ctx.id),
    state: (ctx) => clientState(ctx.id),
  },
  {
    name: "rotateSecret",
    allowed: OWNERS,
    setup: clientOfTeamA,
    run: (actor, ctx) => rotateSecret(actor, ctx.id),
    state: (ctx) => clientState(ctx.id),
  },
  {
    name: "revokeSecret",
    allowed: OWNERS,
    setup: clientOfTeamA,
    run: (actor, ctx) => revokeSecret(actor, ctx.id, ctx.secretId),
    state: (ctx) => clientState(ctx.id),
  },
  {
    name: "addKeys",
    allowed: OWNERS,
    setup: clientOfTeamA,
    run: (actor, ctx) => addKeys(actor, ctx.id, { kind: "jwks", text: publicJwks() }),
    state: (ctx) => clientState(ctx.id),
  },
  {
    name: "rotateServerKeys",
    allowed: ADMINS,
    setup: async () => ({}),
    run: (actor) => rotateServerKeys(actor),
    state: () => db().serverKey.findMany({ orderBy: { kid: "asc" } }),
  },
  {
    name: "createUser",
    allowed: ADMINS,
    setup: async () => ({ email: `${uniq("new-user")}@example.test` }),
    run: (actor, ctx) => createUser(actor, { email: ctx.email, name: "New user", role: "operator", teamIds: [cast.teamA.id] }),
    state: (ctx) => db().user.findMany({ where: { email: ctx.email } }),
  },
  {
    name: "updateUser",
    allowed: ADMINS,
    setup: async () => ({ id: (await createUser(SYSTEM, { email: `${uniq("u")}@example.test`, name: "Someone", role: "auditor", teamIds: [] })).id }),
    run: (actor, ctx) => updateUser(actor, ctx.id, { name: "Someone else", role: "operator", teamIds: [cast.teamA.id] }),
    state: (ctx) => userState(ctx.id),
  },
  {
    name: "setUserDisabled",
    allowed: ADMINS,
    setup: async () => ({ id: (await createUser(SYSTEM, { email: `${uniq("u")}@example.test`, name: "Someone", role: "operator", teamIds: [] })).id }),
    run: (actor, ctx) => setUserDisabled(actor, ctx.id, true),
    state: (ctx) => userState(ctx.id),
  },
  {
    name: "issuePasswordLink",
    allowed: ADMINS,
    setup: async () => ({ id: (await createUser(SYSTEM, { email: `${uniq("u")}@example.test`, name: "Someone", role: "operator", teamIds: [] })).id }),
    run: (actor, ctx) => issuePasswordLink(actor, ctx.id),
    state: (ctx) => userState(ctx.id),
  },
  {
    name: "createTeam",
    allowed: ADMINS,
    setup: async () => ({ name: uniq("new-team") }),
    run: (actor, ctx) => createTeam(actor, { name: ctx.name }),
    state: (ctx) => db().team.findMany({ where: { name: ctx.name } }),
  },
  {
    name: "updateTeam",
    allowed: ADMINS,
    setup: async () => ({ id: (await createTeam(SYSTEM, { name: uniq("team") })).id }),
    run: (actor, ctx) => updateTeam(actor, ctx.id, { name: uniq("renamed"), description: "changed" }),
    state: (ctx) => db().team.findUnique({ where: { id: ctx.id } }),
  },
  {
    name: "deleteTeam",
    allowed: ADMINS,
    setup: async () => ({ id: (await createTeam(SYSTEM, { name: uniq("team") })).id }),
    run: (actor, ctx) => deleteTeam(actor, ctx.id),
    state: (ctx) => db().team.findUnique({ where: { id: ctx.id } }),
  },
  {
    name: "updateSettings",
    allowed: ADMINS,
    setup: async () => {
      await db().setting.deleteMany();
      return {};
    },
    run: (actor) => updateSettings(actor, { "secret.lifetimeDays": 30 }),
    state: () => db().setting.findMany(),
  },
];

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

describe("role × command matrix", () => {
  for (const command of COMMANDS) {
    for (const who of EVERYONE) {
      const allowed = command.allowed.includes(who);
      it(`${who} ${allowed ? "can" : "cannot"} ${command.name}`, async () => {
        const ctx = await command.setup();
        const before = await command.state(ctx);
        const auditBefore = await auditCount();
        if (allowed) {
          await command.run(cast[who], ctx);
          expect(await auditCount()).toBe(auditBefore + 1);
          expect(await command.state(ctx)).not.toEqual(before);
          const entry = await db().auditEvent.findFirst({ orderBy: { seq: "desc" } });
          expect(entry?.actorId).toBe(cast[who].id);
        } else {
          const error = await rejection(command.run(cast[who], ctx), "forbidden");
          if (who === "auditor") expect(error.message).toBe("Auditors have read-only access.");
          expect(await auditCount()).toBe(auditBefore);
          expect(await command.state(ctx)).toEqual(before);
        }
      });
    }
  }
});
