// The REST API's resource shapes (snake_case JSON). Each is a zod schema, so the OpenAPI document
// (lib/api/openapi.ts) and the serializers below cannot drift apart, and nothing leaves the server
// that is not named here: a hash or a stored secret can never ride along.
import { z } from "zod";
import { AGE_BUCKETS, AUTH_METHODS, CLIENT_SORTS, ENVIRONMENTS, GRANT_TYPES, spaceSeparated } from "../clients/schema";
import type { ClientDetail, ClientListRow } from "../clients/queries";
import type { ClientKeyView } from "../keys/queries";
import { secretStatus } from "../secrets/status";

const timestamp = z.string().meta({ format: "date-time" });
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(["invalid", "malformed", "unauthenticated", "forbidden", "not_found", "conflict", "throttled", "internal"]),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: "Error" });

export const TeamRef = z.object({ id: z.string(), name: z.string() }).meta({ id: "TeamRef" });

export const ClientSummary = z
  .object({
    client_id: z.string(),
    name: z.string(),
    environment: z.enum(ENVIRONMENTS),
    status: z.enum(["active", "disabled"]),
    auth_method: z.enum(AUTH_METHODS),
    owner_team: TeamRef,
    secret_created_at: timestamp.nullable().describe("creation of the current (newest unrevoked) secret"),
    secret_expires_at: timestamp.nullable(),
    last_authenticated_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .meta({ id: "ClientSummary" });

export const Secret = z
  .object({
    id: z.string(),
    hint: z.string().describe("the first characters of the secret"),
    status: z.enum(["active", "rotating", "expired", "revoked"]),
    external: z.boolean().describe("recorded from an imported inventory; Keyshift never saw its value"),
    created_at: timestamp,
    created_by: z.string(),
    expires_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    last_used_at: timestamp.nullable(),
  })
  .meta({ id: "Secret" });

export const Client = ClientSummary.extend({
  description: z.string(),
  contact_email: z.string(),
  accepted_methods: z.array(z.enum(AUTH_METHODS)),
  grant_types: z.array(z.enum(GRANT_TYPES)),
  scopes: z.array(z.string()),
  resources: z.array(z.string()).describe("RFC 8707 resource indicators the client may ask a token for"),
  introspection: z.boolean().describe("a resource server allowed to call the introspection endpoint"),
  audience_compat: z.boolean().describe("also accepts the token endpoint URL as a client assertion's aud; every such use is recorded"),
  updated_at: timestamp,
  secrets: z.array(Secret),
}).meta({ id: "Client" });

export const NewSecret = z
  .object({
    id: z.string(),
    value: z.string().describe("the secret itself: returned this once, never again"),
    hint: z.string(),
    expires_at: timestamp,
    previous_valid_until: timestamp.optional().describe("after a rotation: when the replaced secrets stop working"),
  })
  .meta({ id: "NewSecret" });

export const ClientKey = z
  .object({
    kid: z.string(),
    kty: z.enum(["EC", "RSA", "OKP"]),
    crv: z.string().nullable().describe("EC and OKP keys: the curve"),
    bits: z.number().int().nullable().describe("RSA keys: the modulus size"),
    alg: z.string().nullable().describe("the algorithm the key is restricted to, when the uploaded key named one"),
    thumbprint: z.string().describe("RFC 7638 SHA-256 thumbprint, base64url"),
    source: z.enum(["upload", "pem", "certificate", "jwks_uri"]),
    status: z.enum(["scheduled", "active", "retiring", "retired"]),
    not_before: timestamp.nullable(),
    expires_at: timestamp.nullable(),
    created_at: timestamp,
    created_by: z.string(),
    last_used_at: timestamp.nullable(),
    public_jwk: z.record(z.string(), z.unknown()).describe("the public key as registered (public members only)"),
  })
  .meta({ id: "ClientKey" });

export const KeyRegistration = z
  .object({
    data: z.array(ClientKey).describe("the keys added"),
    kids_assigned: z.array(z.string()).describe("kids Keyshift assigned (the key's RFC 7638 thumbprint) because the uploaded key had none"),
  })
  .meta({ id: "KeyRegistration" });

export const Jwks = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).describe("public JWKs (RFC 7517); a private or symmetric key is refused and nothing is stored") })
  .meta({ id: "Jwks" });

export function clientKeyResource(key: ClientKeyView): z.infer<typeof ClientKey> {
  return {
    kid: key.kid,
    kty: key.kty as z.infer<typeof ClientKey>["kty"],
    crv: key.crv,
    bits: key.bits,
    alg: key.alg,
    thumbprint: key.thumbprint,
    source: key.source as z.infer<typeof ClientKey>["source"],
    status: key.status as z.infer<typeof ClientKey>["status"],
    not_before: iso(key.notBefore),
    expires_at: iso(key.expiresAt),
    created_at: key.createdAt.toISOString(),
    created_by: key.createdBy,
    last_used_at: iso(key.lastUsedAt),
    public_jwk: { ...key.publicJwk },
  };
}

export const ClientCreated = z.object({ client: Client, secret: NewSecret }).meta({ id: "ClientCreated" });

export const ClientPage = z
  .object({ data: z.array(ClientSummary), page: z.number().int(), page_size: z.number().int(), total: z.number().int() })
  .meta({ id: "ClientPage" });

const words = z.union([z.array(z.string()), z.string()]).describe("a list, or one string separated by spaces");

export const ClientCreateBody = z
  .object({
    client_id: z.string().optional().describe("printable ASCII without spaces, at most 255 characters; generated when absent"),
    name: z.string(),
    description: z.string().optional(),
    environment: z.enum(ENVIRONMENTS),
    owner_team_id: z.string(),
    contact_email: z.string().meta({ format: "email" }),
    auth_method: z.enum(["client_secret_basic", "client_secret_post"]),
    grant_types: z.array(z.enum(GRANT_TYPES)),
    scopes: words.optional(),
    resources: z
      .union([z.array(z.string()), z.string()])
      .optional()
      .describe("absolute URIs without a fragment (RFC 8707), a list or one string separated by whitespace; none when absent"),
    introspection: z.boolean().optional().describe("may call the introspection endpoint; false when absent"),
    audience_compat: z.boolean().optional().describe("also accept the token endpoint URL as a client assertion's aud; false when absent"),
  })
  .meta({ id: "ClientCreate" });

export const ClientUpdateBody = ClientCreateBody.omit({ client_id: true, auth_method: true }).partial().meta({ id: "ClientUpdate" });

export const ClientListParams = {
  q: z.string().describe("substring of client_id or name, case-insensitive"),
  environment: z.enum(ENVIRONMENTS),
  team: z.string().describe("owner team id"),
  method: z.enum(AUTH_METHODS),
  status: z.enum(["active", "disabled"]),
  age: z.enum(AGE_BUCKETS.map((b) => b.id) as [string, ...string[]]).describe("age bucket of the current secret"),
  expiring: z.number().int().min(1).max(365).describe("current secret expires within this many days"),
  sort: z.enum(CLIENT_SORTS),
  dir: z.enum(["asc", "desc"]),
  page: z.number().int().min(1),
  page_size: z.union([z.literal(25), z.literal(50), z.literal(100)]),
};

export function clientSummary(row: ClientListRow): z.infer<typeof ClientSummary> {
  return {
    client_id: row.clientId,
    name: row.name,
    environment: row.environment as z.infer<typeof ClientSummary>["environment"],
    status: row.status as "active" | "disabled",
    auth_method: row.authMethod as z.infer<typeof ClientSummary>["auth_method"],
    owner_team: { id: row.ownerTeam.id, name: row.ownerTeam.name },
    secret_created_at: iso(row.secretCreatedAt),
    secret_expires_at: iso(row.secretExpiresAt),
    last_authenticated_at: iso(row.lastAuthAt),
    created_at: row.createdAt.toISOString(),
  };
}

export function clientResource(client: ClientDetail, now: Date = new Date()): z.infer<typeof Client> {
  const newest = client.secrets.find((s) => !s.revokedAt);
  return {
    ...clientSummary({ ...client, secretCreatedAt: newest?.createdAt ?? null, secretExpiresAt: newest?.expiresAt ?? null }),
    description: client.description,
    contact_email: client.contactEmail,
    accepted_methods: spaceSeparated(client.acceptedMethods) as z.infer<typeof Client>["accepted_methods"],
    grant_types: spaceSeparated(client.grantTypes) as z.infer<typeof Client>["grant_types"],
    scopes: spaceSeparated(client.scopes),
    resources: spaceSeparated(client.resources),
    introspection: client.introspection,
    audience_compat: client.audienceCompat,
    updated_at: client.updatedAt.toISOString(),
    secrets: client.secrets.map((s) => ({
      id: s.id,
      hint: s.hint,
      status: secretStatus(s, now),
      external: s.external,
      created_at: s.createdAt.toISOString(),
      created_by: s.createdBy,
      expires_at: iso(s.expiresAt),
      revoked_at: iso(s.revokedAt),
      last_used_at: iso(s.lastUsedAt),
    })),
  };
}

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(["admin", "operator", "auditor"]),
    status: z.enum(["active", "disabled", "invited"]).describe("invited: has not signed in yet and has no password (an account that signed in by single sign-on is active)"),
    teams: z.array(TeamRef),
    last_sign_in_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .meta({ id: "User" });

export const Team = z
  .object({ id: z.string(), name: z.string(), description: z.string(), members: z.array(z.string()).describe("member emails"), clients: z.number().int() })
  .meta({ id: "Team" });

export const AuditEntry = z
  .object({
    seq: z.number().int(),
    at: timestamp,
    actor_type: z.enum(["user", "system", "anonymous"]),
    actor: z.string().nullable(),
    action: z.string().describe("resource.verb, e.g. secret.rotate"),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    target_name: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    address: z.string().nullable(),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .meta({ id: "AuditEntry" });

export const AuditPage = z
  .object({ data: z.array(AuditEntry), page: z.number().int(), page_size: z.number().int(), total: z.number().int() })
  .meta({ id: "AuditPage" });

export const AuditParams = {
  actor: z.string().describe("substring of the actor's email"),
  action: z.string().describe("action prefix, e.g. secret. or secret.rotate"),
  target: z.string().describe("target id (client_id, user id) or part of its name"),
  from: z.string().meta({ format: "date-time" }).describe("from this time (a date alone: from its start)"),
  to: z.string().meta({ format: "date-time" }).describe("until this time (a date alone: until its end)"),
  page: z.number().int().min(1),
};

/** API field names are snake_case; the domain's are camelCase. */
export const toCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
export const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function camelKeys(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [toCamel(k), v]));
}
