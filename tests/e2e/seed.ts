// Seeds the people and clients the role tests need, through the same domain functions the console
// uses (the server has already migrated the database and created the first administrator). Run by
// global-setup.ts under tsx, which loads the generated Prisma client as the scripts do.
import { E2E } from "./env";

async function seed(): Promise<void> {
  Object.assign(process.env, E2E.serverEnv);
  const { db, disconnect } = await import("../../lib/db");
  const { SYSTEM } = await import("../../lib/auth/actor");
  const { hashPassword } = await import("../../lib/auth/password");
  const { createTeam } = await import("../../lib/teams/commands");
  const { createClient } = await import("../../lib/clients/commands");
  const { createUser } = await import("../../lib/users/commands");

  const payments = await createTeam(SYSTEM, { name: "Payments", description: "Card and ledger services" });
  const identity = await createTeam(SYSTEM, { name: "Identity", description: "SSO and directory" });
  const passwordHash = await hashPassword(E2E.password);
  for (const [email, role, teamIds] of [
    ["operator@e2e.test", "operator", [payments.id]],
    ["auditor@e2e.test", "auditor", []],
  ] as const) {
    const user = await createUser(SYSTEM, { email, name: email.split("@")[0], role, teamIds: [...teamIds] });
    await db().user.update({ where: { id: user.id }, data: { passwordHash } });
  }
  const base = { environment: "production", contactEmail: "owner@e2e.test", authMethod: "client_secret_basic", grantTypes: ["client_credentials"], scopes: "read" };
  await createClient(SYSTEM, { ...base, clientId: "payments-ledger", name: "Payments ledger", ownerTeamId: payments.id });
  await createClient(SYSTEM, { ...base, clientId: "identity-sync", name: "Identity sync", ownerTeamId: identity.id });
  await disconnect();
}

seed().catch((error) => {
  console.error(error);
  process.exit(1);
});
