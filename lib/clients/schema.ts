// One schema per concept: the client form, the server actions and (later) the REST API all parse
// client input with these, so the rules and messages are the same everywhere.
import { z } from "zod";

export const ENVIRONMENTS = ["production", "staging", "development"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
export const SECRET_METHODS: readonly AuthMethod[] = ["client_secret_basic", "client_secret_post"];

export const GRANT_TYPES = [
  "client_credentials",
  "authorization_code",
  "refresh_token",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:token-exchange",
] as const;

export const CLIENT_STATUSES = ["active", "disabled"] as const;

/** Printable ASCII without spaces, at most 255 characters: what real IdPs issue (DESIGN.md). */
export const CLIENT_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;
// RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

const words = (value: unknown) =>
  Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value;

// URIs hold no whitespace, so a textarea with one per line and a space-separated string read alike;
// commas are legal in a URI and are not separators here
const lines = (value: unknown) =>
  Array.isArray(value) ? value.map((v) => String(v).trim()).filter(Boolean) : typeof value === "string" ? value.split(/\s+/).filter(Boolean) : value;

/** A checkbox: present ("on") is true, absent is false; the API sends JSON booleans. */
const checkbox = (value: unknown) => (value === undefined || value === null || value === "" || value === "false" ? false : value === "on" || value === "true" ? true : value);

/** RFC 8707 2: a resource indicator is an absolute URI and MUST NOT include a fragment component. */
/** The items of a space-separated column or parameter (accepted methods, grant types, scopes, resources). */
export function spaceSeparated(value: string | undefined): string[] {
  return (value ?? "").split(" ").filter(Boolean);
}

export function isResourceIndicator(value: string): boolean {
  return value.length <= 2048 && URL.canParse(value) && !value.includes("#");
}

export const ClientIdSchema = z
  .string()
  .trim()
  .min(1, "Enter a client_id or leave it empty to generate one")
  .max(255, "client_id is at most 255 characters")
  .regex(CLIENT_ID_PATTERN, "client_id may contain printable ASCII characters only, without spaces");

export const ClientFormSchema = z.object({
  clientId: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), ClientIdSchema.optional()),
  name: z.string().trim().min(1, "Name is required").max(200, "Name is at most 200 characters"),
  description: z.string().trim().max(2000, "Description is at most 2000 characters").default(""),
  environment: z.enum(ENVIRONMENTS, { error: "Choose production, staging or development" }),
  ownerTeamId: z.string().trim().min(1, "Choose an owner team"),
  contactEmail: z.string().trim().toLowerCase().max(320, "At most 320 characters").pipe(z.email({ error: "Enter a valid contact email address" })),
  authMethod: z.enum(AUTH_METHODS, { error: "Choose an authentication method" }),
  grantTypes: z.preprocess(
    words,
    z.array(z.enum(GRANT_TYPES, { error: "Unknown grant type" })).min(1, "Choose at least one grant type").max(GRANT_TYPES.length),
  ),
  scopes: z.preprocess(
    words,
    z
      .array(z.string().max(200, "A scope is at most 200 characters").regex(SCOPE_TOKEN, "Scopes may not contain spaces, quotes or backslashes"))
      .max(100, "At most 100 scopes")
      .default([]),
  ),
  resources: z.preprocess(
    lines,
    z
      .array(
        z
          .string()
          .refine(isResourceIndicator, {
            error: (issue) => `"${String(issue.input).slice(0, 80)}" is not a resource URI: enter absolute URIs without a fragment (#…), one per line, e.g. https://api.example.com/ledger`,
          }),
      )
      .max(50, "At most 50 resources")
      .refine((uris) => new Set(uris).size === uris.length, "A resource is listed twice")
      .default([]),
  ),
  introspection: z.preprocess(checkbox, z.boolean({ error: "Must be true or false" })),
  audienceCompat: z.preprocess(checkbox, z.boolean({ error: "Must be true or false" })),
});

export const ClientCreateSchema = ClientFormSchema;
// client_id is stable and the method changes only through a migration: neither is editable here
export const ClientUpdateSchema = ClientFormSchema.omit({ clientId: true, authMethod: true });

export type ClientCreateInput = z.input<typeof ClientCreateSchema>;
export type ClientUpdateInput = z.input<typeof ClientUpdateSchema>;

export const AGE_BUCKETS = [
  { id: "0-30", label: "0–30 days", minDays: 0, maxDays: 30 },
  { id: "31-90", label: "31–90 days", minDays: 31, maxDays: 90 },
  { id: "91-180", label: "91–180 days", minDays: 91, maxDays: 180 },
  { id: "181-365", label: "181–365 days", minDays: 181, maxDays: 365 },
  { id: "365+", label: "over 365 days", minDays: 366, maxDays: null },
] as const;
export type AgeBucketId = (typeof AGE_BUCKETS)[number]["id"];

/** The migration states, and "overdue": a dual window past its end date. */
export const MIGRATION_FILTERS = ["secret_only", "keys_registered", "dual", "private_key_jwt", "overdue"] as const;

export const CLIENT_SORTS = ["name", "clientId", "environment", "createdAt", "secretCreatedAt", "lastAuthAt"] as const;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

/** The client list's query string: unknown or malformed values are dropped, never an error page. */
export const ClientListQuerySchema = z.object({
  q: z.string().trim().max(255).optional().catch(undefined),
  environment: optionalEnum(ENVIRONMENTS),
  team: z.string().trim().max(64).optional().catch(undefined),
  method: optionalEnum(AUTH_METHODS),
  status: optionalEnum(CLIENT_STATUSES),
  age: optionalEnum(AGE_BUCKETS.map((b) => b.id) as unknown as readonly [AgeBucketId, ...AgeBucketId[]]),
  expiring: z.coerce.number().int().min(1).max(365).optional().catch(undefined),
  // drill-downs from the dashboards
  migration: optionalEnum(MIGRATION_FILTERS),
  olderThan: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  unused: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  onSecret: z.literal("1").optional().catch(undefined),
  external: z.literal("1").optional().catch(undefined),
  keysExpiring: z.coerce.number().int().min(1).max(365).optional().catch(undefined),
  keysUnused: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  retiringInUse: z.coerce.number().int().min(1).max(365).optional().catch(undefined),
  jwks: optionalEnum(["healthy", "degraded", "failing"] as const),
  breakGlass: z.literal("1").optional().catch(undefined),
  sort: z.enum(CLIENT_SORTS).catch("name"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  pageSize: z.coerce.number().pipe(z.union([z.literal(25), z.literal(50), z.literal(100)])).catch(25),
});
export type ClientListQuery = z.infer<typeof ClientListQuerySchema>;
