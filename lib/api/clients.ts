// REST operations on clients and their secrets, each one domain call plus a serializer, so the API
// and the console change the same rows and write the same audit entries.
import type { UserActor } from "../auth/actor";
import { createClient, deleteClient, setClientEnabled, updateClient } from "../clients/commands";
import { clientDbIdByClientId, getClient, listClients } from "../clients/queries";
import { ClientListQuerySchema, type ClientListQuery } from "../clients/schema";
import { invalid } from "../errors";
import { issueSecret, revokeSecret, rotateSecret, type IssuedSecret } from "../secrets/commands";
import type { KeyMaterial } from "../keys/lifecycle";
import { policyOf } from "../policy";
import { getSettings } from "../settings";
import { camelKeys, clientResource, clientSummary } from "./resources";

const LIST_PARAMS = ["q", "environment", "team", "method", "status", "age", "expiring", "migration", "older_than", "unused", "on_secret", "external", "keys_expiring", "keys_unused", "retiring_in_use", "jwks", "break_glass", "sort", "dir", "page", "page_size"];

export async function apiListClients(actor: UserActor, search: URLSearchParams) {
  const unknown = [...new Set(search.keys())].filter((k) => !LIST_PARAMS.includes(k));
  if (unknown.length) throw invalid(`Unknown query parameter ${unknown.map((k) => `"${k}"`).join(", ")}.`, Object.fromEntries(unknown.map((k) => [k, "Unknown parameter"])));
  const query = strictClientQuery(camelKeys(Object.fromEntries(search)), "Some query parameters are not valid.");
  const result = await listClients(actor, query);
  return { data: result.rows.map(clientSummary), page: result.page, page_size: result.pageSize, total: result.total };
}

/**
 * The list's filters, read strictly: the console's list is lenient by design (a bad value is dropped),
 * the API refuses it, naming each field whose value the list would not have taken as given.
 */
export function strictClientQuery(raw: Record<string, unknown>, message: string): ClientListQuery {
  const query = ClientListQuerySchema.parse(raw);
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const parsed = (query as Record<string, unknown>)[key];
    if (value !== undefined && (parsed === undefined || String(parsed) !== String(value))) fields[key] = `Invalid value "${String(value)}"`;
  }
  if (Object.keys(fields).length) throw invalid(message, fields);
  return query;
}

export async function apiGetClient(actor: UserActor, clientId: string) {
  return clientResource(await getClient(actor, await clientDbIdByClientId(clientId)));
}

const newSecret = (s: IssuedSecret, previousValidUntil?: Date) => ({
  id: s.id,
  value: s.secret,
  hint: s.hint,
  expires_at: s.expiresAt.toISOString(),
  ...(previousValidUntil ? { previous_valid_until: previousValidUntil.toISOString() } : {}),
});

export async function apiCreateClient(actor: UserActor, body: Record<string, unknown>) {
  const { jwks, pem, certificate, jwks_uri: jwksUri, ...fields } = body;
  const material = creationMaterial(jwks, pem, certificate);
  if (jwksUri !== undefined && typeof jwksUri !== "string") throw invalid("jwks_uri must be a string.", { jwks_uri: "Not a string" });
  // audience compatibility: the organisation's default for new clients when the request does not say
  const input = camelKeys(fields);
  if (input.audienceCompat === undefined) input.audienceCompat = policyOf(await getSettings()).defaultAudienceCompat;
  const created = await createClient(actor, input, { material, jwksUri });
  return { client: clientResource(await getClient(actor, created.id)), secret: created.secret ? newSecret(created.secret) : null };
}

/** At most one kind of key material when a private_key_jwt client is created. */
function creationMaterial(jwks: unknown, pem: unknown, certificate: unknown): KeyMaterial | undefined {
  const given = [jwks, pem, certificate].filter((v) => v !== undefined).length;
  if (given > 1) throw invalid("Send one of jwks, pem or certificate.", { jwks: "One of jwks, pem or certificate" });
  if (jwks !== undefined) {
    if (!jwks || typeof jwks !== "object" || Array.isArray(jwks)) throw invalid("jwks must be a JWKS object.", { jwks: "Not a JSON object" });
    return { kind: "jwks", text: JSON.stringify(jwks) };
  }
  const text = pem ?? certificate;
  if (text === undefined) return undefined;
  if (typeof text !== "string") throw invalid("pem and certificate are strings.", { [pem !== undefined ? "pem" : "certificate"]: "Not a string" });
  return { kind: "pem", text };
}

/** PATCH: the fields given replace the current ones; the rest stay as they are. */
export async function apiUpdateClient(actor: UserActor, clientId: string, body: Record<string, unknown>) {
  const id = await clientDbIdByClientId(clientId);
  const current = await getClient(actor, id);
  const patch = camelKeys(body);
  for (const fixed of ["clientId", "authMethod"]) {
    if (fixed in patch) throw invalid(`${fixed === "clientId" ? "client_id" : "auth_method"} cannot be changed here.`, { [fixed]: "Not changeable" });
  }
  const allowed = ["name", "description", "environment", "ownerTeamId", "contactEmail", "grantTypes", "scopes", "resources", "introspection", "audienceCompat"];
  const unknown = Object.keys(patch).filter((k) => !allowed.includes(k));
  if (unknown.length) throw invalid("Unknown fields.", Object.fromEntries(unknown.map((k) => [k, "Unknown field"])));
  await updateClient(actor, id, {
    name: current.name,
    description: current.description,
    environment: current.environment,
    ownerTeamId: current.ownerTeam.id,
    contactEmail: current.contactEmail,
    grantTypes: current.grantTypes.split(" "),
    scopes: current.scopes,
    resources: current.resources,
    introspection: current.introspection,
    audienceCompat: current.audienceCompat,
    ...patch,
  });
  return clientResource(await getClient(actor, id));
}

export async function apiSetClientEnabled(actor: UserActor, clientId: string, enabled: boolean) {
  const id = await clientDbIdByClientId(clientId);
  await setClientEnabled(actor, id, enabled);
  return clientResource(await getClient(actor, id));
}

/** DELETE names the client in its path: that is the confirmation the console asks to type. */
export async function apiDeleteClient(actor: UserActor, clientId: string) {
  await deleteClient(actor, await clientDbIdByClientId(clientId), clientId);
}

export async function apiListSecrets(actor: UserActor, clientId: string) {
  return { data: (await apiGetClient(actor, clientId)).secrets };
}

export async function apiIssueSecret(actor: UserActor, clientId: string) {
  return newSecret(await issueSecret(actor, await clientDbIdByClientId(clientId)));
}

export async function apiRotateSecret(actor: UserActor, clientId: string) {
  const rotated = await rotateSecret(actor, await clientDbIdByClientId(clientId));
  return newSecret(rotated, rotated.overlapEndsAt);
}

export async function apiRevokeSecret(actor: UserActor, clientId: string, secretId: string) {
  await revokeSecret(actor, await clientDbIdByClientId(clientId), secretId);
  return (await apiListSecrets(actor, clientId)).data.find((s) => s.id === secretId)!;
}
