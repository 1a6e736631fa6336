// The REST API's resource shapes (snake_case JSON). Each is a zod schema, so the OpenAPI document
// (lib/api/openapi.ts) and the serializers below cannot drift apart, and nothing leaves the server
// that is not named here: a hash or a stored secret can never ride along.
import { z } from "zod";
import { AGE_BUCKETS, AUTH_METHODS, CLIENT_SORTS, ENVIRONMENTS, GRANT_TYPES, MIGRATION_FILTERS, spaceSeparated } from "../clients/schema";
import type { ClientDetail, ClientListRow } from "../clients/queries";
import type { ClientKeyView, JwksFetchView, JwksUriView, KeyAcrossClients } from "../keys/queries";
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
    status: z
      .enum(["scheduled", "active", "retiring", "retired", "expired"])
      .describe("now: scheduled until not_before, retiring until retiring_until, expired after expires_at; the token endpoint accepts active and retiring keys"),
    not_before: timestamp.nullable().describe("activation date of a scheduled key"),
    expires_at: timestamp.nullable().describe("a certificate's notAfter"),
    retiring_until: timestamp.nullable(),
    retired_at: timestamp.nullable(),
    retire_reason: z.string().nullable(),
    certificate: z
      .object({ subject: z.string(), issuer: z.string(), serial_number: z.string(), not_before: timestamp, not_after: timestamp, sha256_fingerprint: z.string() })
      .nullable()
      .describe("the X.509 certificate the key came from (pasted, or x5c[0])"),
    shared_with: z.array(z.string()).describe("client_ids of other clients that registered the same key (same thumbprint)"),
    created_at: timestamp,
    created_by: z.string(),
    last_used_at: timestamp.nullable(),
    public_jwk: z.record(z.string(), z.unknown()).describe("the public key as registered (public members only)"),
  })
  .meta({ id: "ClientKey" });

export const KeyWithClient = ClientKey.extend({ client_id: z.string(), client_name: z.string(), environment: z.enum(ENVIRONMENTS) }).meta({ id: "KeyWithClient" });

export const KeyMaterialBody = z
  .object({
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional().describe("a JWKS document of public keys"),
    pem: z.string().optional().describe("a PEM public key (SPKI or PKCS#1)"),
    certificate: z.string().optional().describe("an X.509 certificate, PEM or DER in base64; its notAfter becomes the key's expiry, an expired one is refused"),
    kid: z.string().optional().describe("with pem or certificate: the kid (default: the RFC 7638 thumbprint)"),
    alg: z.string().optional().describe("with pem or certificate: restrict the key to this algorithm"),
    not_before: timestamp.optional().describe("activation date: the keys are scheduled until then"),
    retire_current: z.boolean().optional().describe("rotation: the client's current keys become retiring until the activation date plus the key rotation overlap"),
  })
  .meta({ id: "KeyMaterial" });

export const RetireKeyBody = z
  .object({
    mode: z.enum(["scheduled", "now"]).describe("scheduled: accepted until `until`, then retired; now: refused at once (compromise), with a reason"),
    until: timestamp.optional().describe("scheduled: the end of the retiring window (default: now plus the key rotation overlap)"),
    reason: z.string().optional().describe("now: why (required)"),
    confirm_recent_use: z.boolean().optional().describe("required when the key was used within the recent-use window; the 409 answer says when it was last used"),
  })
  .meta({ id: "RetireKey" });

export const JwksUriBody = z.object({ jwks_uri: z.string().describe("https (http only for development clients); fetched and checked before it is saved") }).meta({ id: "JwksUriLink" });

export const JwksFetch = z
  .object({
    at: timestamp,
    uri: z.string(),
    trigger: z.enum(["link", "background", "unknown_kid", "manual"]),
    outcome: z.enum(["ok", "error"]),
    http_status: z.number().int().nullable(),
    error_code: z.string().nullable(),
    error: z.string().nullable(),
    key_count: z.number().int().nullable(),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    ignored: z.array(z.object({ kid: z.string().nullable(), reason: z.string() })),
    duration_ms: z.number().int().nullable(),
  })
  .meta({ id: "JwksFetch" });

export const JwksUriState = z
  .object({
    jwks_uri: z.string(),
    health: z.enum(["healthy", "degraded", "failing"]).describe("healthy: the last fetch worked; degraded: it failed and the last good keys still serve; failing: they no longer do"),
    fetched_at: timestamp.nullable(),
    good_at: timestamp.nullable().describe("the last successful fetch"),
    refresh_at: timestamp.nullable(),
    consecutive_failures: z.number().int(),
    last_error: z.string().nullable(),
    fetches: z.array(JwksFetch).describe("recent fetches, newest first"),
  })
  .meta({ id: "JwksUriState" });

export const JwksRefresh = z
  .object({
    outcome: z.enum(["ok", "error", "skipped"]),
    key_count: z.number().int().optional(),
    added: z.array(z.string()).optional(),
    removed: z.array(z.string()).optional(),
    error: z.string().optional(),
    skipped_because: z.enum(["busy", "cooldown", "not_linked"]).optional(),
  })
  .meta({ id: "JwksRefresh" });

export const KeyRegistration = z
  .object({
    data: z.array(ClientKey).describe("the keys added"),
    kids_assigned: z.array(z.string()).describe("kids Keyshift assigned (the key's RFC 7638 thumbprint) because the uploaded key had none"),
    retiring: z.array(z.object({ kid: z.string(), until: timestamp })).describe("with retire_current: the keys now retiring, and until when they are accepted"),
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
    retiring_until: iso(key.retiringUntil),
    retired_at: iso(key.retiredAt),
    retire_reason: key.retireReason,
    certificate: key.certificate && {
      subject: key.certificate.subject,
      issuer: key.certificate.issuer,
      serial_number: key.certificate.serialNumber,
      not_before: key.certificate.notBefore.toISOString(),
      not_after: key.certificate.notAfter.toISOString(),
      sha256_fingerprint: key.certificate.sha256Fingerprint,
    },
    shared_with: key.sharedWith.map((c) => c.clientId),
    created_at: key.createdAt.toISOString(),
    created_by: key.createdBy,
    last_used_at: iso(key.lastUsedAt),
    public_jwk: { ...key.publicJwk },
  };
}

export function keyWithClientResource(key: KeyAcrossClients): z.infer<typeof KeyWithClient> {
  return { ...clientKeyResource(key), client_id: key.client.clientId, client_name: key.client.name, environment: key.client.environment as z.infer<typeof KeyWithClient>["environment"] };
}

export function jwksUriResource(state: { uri: JwksUriView; fetches: JwksFetchView[] }): z.infer<typeof JwksUriState> {
  const { uri, fetches } = state;
  return {
    jwks_uri: uri.uri,
    health: uri.health,
    fetched_at: iso(uri.fetchedAt),
    good_at: iso(uri.goodAt),
    refresh_at: iso(uri.refreshAt),
    consecutive_failures: uri.failures,
    last_error: uri.lastError,
    fetches: fetches.map((f) => ({
      at: f.at.toISOString(),
      uri: f.uri,
      trigger: f.trigger as z.infer<typeof JwksFetch>["trigger"],
      outcome: f.outcome as z.infer<typeof JwksFetch>["outcome"],
      http_status: f.httpStatus,
      error_code: f.errorCode,
      error: f.error,
      key_count: f.keyCount,
      added: f.added,
      removed: f.removed,
      ignored: f.ignored,
      duration_ms: f.durationMs,
    })),
  };
}

export const Migration = z
  .object({
    state: z.enum(["secret_only", "keys_registered", "dual", "private_key_jwt"]),
    from_method: z.enum(["client_secret_basic", "client_secret_post"]).nullable().describe("the secret method the client used before its dual window"),
    dual_started_at: timestamp.nullable(),
    dual_until: timestamp.nullable().describe("the dual window's end date"),
    overdue: z.boolean().describe("the dual window's end date has passed: flagged, never cut off"),
    finalised_at: timestamp.nullable(),
    break_glass_until: timestamp.nullable().describe("a break-glass secret is accepted until then"),
    readiness: z.object({
      usable_keys: z.number().int().describe("keys the token endpoint accepts now"),
      first_assertion_at: timestamp.nullable().describe("the first successful private_key_jwt authentication"),
      last_secret_use_at: timestamp.nullable(),
      days_without_secret: z.number().int().nullable(),
      quiet_days: z.number().int().describe("days without secret use expected before finalising (setting)"),
      ready_to_finalise: z.boolean().describe("finalising needs no reason"),
      not_ready_because: z.array(z.string()),
    }),
  })
  .meta({ id: "Migration" });

export const MigrationWindow = z.object({ until: timestamp.optional().describe("the window's end date; default: the dual-window setting. Required to move an open window's end") }).meta({ id: "MigrationWindow" });
export const MigrationReason = z.object({ reason: z.string().optional().describe("why: required to finalise before the client is ready, and for break-glass") }).meta({ id: "MigrationReason" });
export const BreakGlassSecret = z
  .object({
    id: z.string(),
    value: z.string().describe("the secret itself: returned this once, never again"),
    hint: z.string(),
    expires_at: timestamp,
    method: z.string().describe("the secret method it is meant for (either secret method is accepted)"),
  })
  .meta({ id: "BreakGlassSecret" });

export const ClientCreated = z
  .object({ client: Client, secret: NewSecret.nullable().describe("the first secret, returned this once; null for a private_key_jwt client, which has none") })
  .meta({ id: "ClientCreated" });

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
    auth_method: z.enum(AUTH_METHODS).describe("private_key_jwt: send the client's public keys too (jwks, pem or certificate, or jwks_uri); no secret is issued"),
    grant_types: z.array(z.enum(GRANT_TYPES)),
    scopes: words.optional(),
    resources: z
      .union([z.array(z.string()), z.string()])
      .optional()
      .describe("absolute URIs without a fragment (RFC 8707), a list or one string separated by whitespace; none when absent"),
    introspection: z.boolean().optional().describe("may call the introspection endpoint; false when absent"),
    audience_compat: z.boolean().optional().describe("also accept the token endpoint URL as a client assertion's aud; false when absent"),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional().describe("private_key_jwt: the client's public keys as a JWKS"),
    pem: z.string().optional().describe("private_key_jwt: a PEM public key"),
    certificate: z.string().optional().describe("private_key_jwt: an X.509 certificate (PEM, or DER in base64)"),
    jwks_uri: z.string().optional().describe("private_key_jwt: the client's jwks_uri, fetched and checked before the client is created"),
  })
  .meta({ id: "ClientCreate" });

export const ClientUpdateBody = ClientCreateBody.omit({ client_id: true, auth_method: true, jwks: true, pem: true, certificate: true, jwks_uri: true }).partial().meta({ id: "ClientUpdate" });

export const ClientListParams = {
  q: z.string().describe("substring of client_id or name, case-insensitive"),
  environment: z.enum(ENVIRONMENTS),
  team: z.string().describe("owner team id"),
  method: z.enum(AUTH_METHODS),
  status: z.enum(["active", "disabled"]),
  age: z.enum(AGE_BUCKETS.map((b) => b.id) as [string, ...string[]]).describe("age bucket of the current secret"),
  expiring: z.number().int().min(1).max(365).describe("current secret expires within this many days"),
  migration: z.enum(MIGRATION_FILTERS).describe("migration state, or overdue (a dual window past its end date)"),
  older_than: z.number().int().min(1).max(3650).describe("current secret older than this many days"),
  unused: z.number().int().min(1).max(3650).describe("has a valid secret not used for this many days"),
  on_secret: z.literal("1").describe("authenticates with a secret method"),
  external: z.literal("1").describe("has a valid imported (external) secret"),
  keys_expiring: z.number().int().min(1).max(365).describe("has a key or certificate expiring within this many days"),
  keys_unused: z.number().int().min(1).max(3650).describe("has an active key, older than this many days, unused for as long"),
  retiring_in_use: z.number().int().min(1).max(365).describe("has a retiring key used within this many days"),
  jwks: z.enum(["healthy", "degraded", "failing"]).describe("jwks_uri health"),
  break_glass: z.literal("1").describe("has a break-glass secret still valid"),
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
