// Seeds the people and clients the role tests need, through the same domain functions the console
// uses (the server has already migrated the database and created the first administrator). Run by
// global-setup.ts under tsx, which loads the generated Prisma client as the scripts do.
import fs from "node:fs";
import { E2E, type InteropClients } from "./env";

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
  await seedInteropClients(identity.id);
  await disconnect();
}

const INTEROP_ALGORITHMS = ["ES256", "RS256", "PS256", "EdDSA"] as const;

/**
 * The clients interop.spec.ts authenticates as: one per secret method, and one that accepts only
 * private_key_jwt with a key per algorithm. Their secrets and private keys go to a file under data/e2e/
 * (test-only material, deleted with the test database).
 */
async function seedInteropClients(teamId: string): Promise<void> {
  const { exportJWK, generateKeyPair } = await import("jose");
  const { db } = await import("../../lib/db");
  const { SYSTEM } = await import("../../lib/auth/actor");
  const { createClient } = await import("../../lib/clients/commands");
  const { addKeys } = await import("../../lib/keys/lifecycle");

  const base = { environment: "staging", contactEmail: "interop@e2e.test", grantTypes: ["client_credentials"], scopes: "read", ownerTeamId: teamId };
  const basic = await createClient(SYSTEM, { ...base, clientId: "interop-secret-basic", name: "Interop secret basic", authMethod: "client_secret_basic" });
  const post = await createClient(SYSTEM, { ...base, clientId: "interop-secret-post", name: "Interop secret post", authMethod: "client_secret_post" });
  const jwt = await createClient(SYSTEM, { ...base, clientId: "interop-private-key-jwt", name: "Interop private_key_jwt", authMethod: "client_secret_basic" });
  const keys = await Promise.all(
    INTEROP_ALGORITHMS.map(async (alg) => {
      const kid = `interop-${alg.toLowerCase()}`;
      const pair = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
      return { alg, kid, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg }, privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg } };
    }),
  );
  await addKeys(SYSTEM, jwt.id, { kind: "jwks", text: JSON.stringify({ keys: keys.map((k) => k.publicJwk) }) });
  // Switching a client to accept private_key_jwt is the migration issue's audited step; until it
  // exists, the seed sets the accepted methods on the row directly (as the integration fixtures do).
  await db().client.update({ where: { id: jwt.id }, data: { authMethod: "private_key_jwt", acceptedMethods: "private_key_jwt" } });

  const material: InteropClients = {
    secretBasic: { clientId: basic.clientId, secret: basic.secret!.secret },
    secretPost: { clientId: post.clientId, secret: post.secret!.secret },
    privateKeyJwt: { clientId: jwt.clientId, keys: keys.map(({ alg, kid, privateJwk }) => ({ alg, kid, privateJwk: { ...privateJwk } })) },
  };
  fs.writeFileSync(E2E.interopFile, JSON.stringify(material, null, 2), { mode: 0o600 });
}

seed().catch((error) => {
  console.error(error);
  process.exit(1);
});
