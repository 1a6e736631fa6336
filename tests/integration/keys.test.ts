// A client's public keys through the domain: registering a JWKS (all or none, audited, permission
// first) and reading the keys back for the client page and the API.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { createClient, deleteClient } from "@/lib/clients/commands";
import { jwkThumbprint } from "@/lib/crypto/jwk";
import { db, disconnect } from "@/lib/db";
import { addKeys } from "@/lib/keys/lifecycle";
import { keyTypeLabel, listClientKeys } from "@/lib/keys/queries";
import { auditCount, clientInput, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";

const ecPrivate = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
const { d: _d, ...ecPublic } = ecPrivate;
const rsaPublic = crypto.generateKeyPairSync("rsa", { modulusLength: 3072 }).publicKey.export({ format: "jwk" });
const edPublic = crypto.generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
const jwks = (...keys: unknown[]) => JSON.stringify({ keys });

let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

const newClient = async () => (await createClient(SYSTEM, clientInput(cast.teamA.id))).id;
const keyState = async (clientDbId: string) => ({
  keys: await db().clientKey.findMany({ where: { clientId: clientDbId } }),
  client: await db().client.findUniqueOrThrow({ where: { id: clientDbId }, select: { keySource: true } }),
  audit: await auditCount(),
});

describe("addKeys: a JWKS", () => {
  it("adds every key of the document, audits them, and lists them with type, size and who added them", async () => {
    const id = await newClient();
    await addKeys(cast.operatorOwner, id, { kind: "jwks", text: jwks({ ...ecPublic, kid: "ec-1", alg: "ES256" }, { ...rsaPublic, kid: "rsa-1" }, { ...edPublic, kid: "ed-1" }) });
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "client_key.add", actorId: cast.operatorOwner.id });
    expect((entry.details.keys as { kid: string }[]).map((k) => k.kid)).toEqual(["ec-1", "rsa-1", "ed-1"]);

    const keys = await listClientKeys(cast.auditor, id);
    const byKid = Object.fromEntries(keys.map((k) => [k.kid, k]));
    expect(keys).toHaveLength(3);
    expect(byKid["ec-1"]).toMatchObject({ kty: "EC", crv: "P-256", bits: null, alg: "ES256", source: "upload", status: "active", createdBy: cast.operatorOwner.email, lastUsedAt: null });
    expect(byKid["ec-1"].thumbprint).toBe(jwkThumbprint(ecPublic as never));
    expect(byKid["rsa-1"]).toMatchObject({ kty: "RSA", crv: null, bits: 3072, alg: null });
    expect(byKid["ed-1"]).toMatchObject({ kty: "OKP", crv: "Ed25519", bits: null });
    expect(keys.map(keyTypeLabel).sort()).toEqual(["EC P-256", "OKP Ed25519", "RSA 3072"]);
    // public members only: nothing private can ride along
    expect(Object.keys(byKid["ec-1"].publicJwk).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect((await db().client.findUniqueOrThrow({ where: { id } })).keySource).toBe("inline");
  });

  it("names a key without kid by its RFC 7638 thumbprint and says so", async () => {
    const id = await newClient();
    const {
      keys: [key],
    } = await addKeys(cast.admin, id, { kind: "jwks", text: jwks(ecPublic) });
    expect(key).toMatchObject({ kid: jwkThumbprint(ecPublic as never), kidAssigned: true });
    expect((await lastAudit()).details.keys).toEqual([expect.objectContaining({ kid: key.kid, kidAssigned: true })]);
    expect((await listClientKeys(cast.admin, id))[0].kid).toBe(key.thumbprint);
  });

  it("refuses a private key with the compromise warning and stores nothing", async () => {
    const id = await newClient();
    const before = await keyState(id);
    const error = await rejection(addKeys(cast.operatorOwner, id, { kind: "jwks", text: jwks({ ...edPublic, kid: "fine" }, { ...ecPrivate, kid: "leaked" }) }), "invalid");
    expect(error.message).toMatch(/PRIVATE key.*Nothing was saved.*compromised/);
    expect(error.message).not.toContain(String(ecPrivate.d));
    expect(error.fields).toEqual({ jwks: "Contains a private key" });
    expect(await keyState(id)).toEqual(before);
  });

  it("refuses a kid the client already has, adding none of the document", async () => {
    const id = await newClient();
    await addKeys(cast.operatorOwner, id, { kind: "jwks", text: jwks({ ...ecPublic, kid: "k1" }) });
    const before = await keyState(id);
    await rejection(addKeys(cast.operatorOwner, id, { kind: "jwks", text: jwks({ ...edPublic, kid: "k2" }, { ...rsaPublic, kid: "k1" }) }), "conflict");
    expect(await keyState(id)).toEqual(before);
  });

  const refused: { who: "operatorOther" | "auditor"; message: string }[] = [
    { who: "operatorOther", message: "You can only manage keys of clients owned by a team you belong to." },
    { who: "auditor", message: "Auditors have read-only access." },
  ];
  for (const { who, message } of refused) {
    it(`refuses the ${who} before reading the document, and stores nothing`, async () => {
      const id = await newClient();
      const before = await keyState(id);
      // even a document with a private key: the caller learns nothing about it before the permission check
      for (const text of [jwks({ ...ecPublic, kid: "k" }), jwks(ecPrivate)]) {
        const error = await rejection(addKeys(cast[who], id, { kind: "jwks", text }), "forbidden");
        expect(error.message).toBe(message);
      }
      expect(await keyState(id)).toEqual(before);
    });
  }
});

describe("listClientKeys", () => {
  it("reads an empty list for a client without keys", async () => {
    expect(await listClientKeys(cast.operatorOther, await newClient())).toEqual([]);
  });

  it("answers not found for a deleted client", async () => {
    const created = await createClient(SYSTEM, clientInput(cast.teamA.id));
    await deleteClient(SYSTEM, created.id, created.clientId);
    await rejection(listClientKeys(cast.admin, created.id), "not_found");
  });
});
