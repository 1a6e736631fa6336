// The OpenAPI 3.1 document for /api/v1, generated from the same zod schemas the serializers use.
// Every /api/v1 route must appear here; tests/integration/api.test.ts validates real responses against it.
import { z } from "zod";
import {
  AuditEntry,
  AuditPage,
  AuditParams,
  Client,
  ClientCreateBody,
  ClientCreated,
  ClientKey,
  ClientListParams,
  ClientPage,
  ClientSummary,
  ClientUpdateBody,
  ErrorBody,
  Jwks,
  JwksFetch,
  JwksRefresh,
  JwksUriBody,
  JwksUriState,
  KeyMaterialBody,
  KeyRegistration,
  KeyWithClient,
  Migration,
  MigrationReason,
  MigrationWindow,
  BreakGlassSecret,
  NewSecret,
  RetireKeyBody,
  Secret,
  Team,
  TeamRef,
  User,
} from "./resources";
import { CAMPAIGN_SCHEMAS } from "./campaign-resources";
import { NOTIFY_SCHEMAS, notifyPaths } from "./notify-openapi";

const SCHEMAS = {
  Error: ErrorBody,
  TeamRef,
  ClientSummary,
  Client,
  ClientPage,
  ClientCreated,
  ClientCreate: ClientCreateBody,
  ClientUpdate: ClientUpdateBody,
  NewSecret,
  Secret,
  ClientKey,
  KeyRegistration,
  KeyMaterial: KeyMaterialBody,
  KeyWithClient,
  RetireKey: RetireKeyBody,
  JwksUriLink: JwksUriBody,
  JwksFetch,
  JwksUriState,
  JwksRefresh,
  Jwks,
  Migration,
  MigrationWindow,
  MigrationReason,
  BreakGlassSecret,
  User,
  Team,
  AuditEntry,
  AuditPage,
  ...CAMPAIGN_SCHEMAS,
  ...NOTIFY_SCHEMAS,
};

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const content = (schema: object) => ({ "application/json": { schema } });
const ok = (description: string, schema: object) => ({ description, content: content(schema) });
const error = (description: string) => ({ description, content: content(ref("Error")) });

const COMMON_ERRORS = {
  "401": error("No API token, or an invalid, expired or revoked one"),
  "403": error("The token's user may not do this (role or owner team)"),
};
const CLIENT_ERRORS = { ...COMMON_ERRORS, "404": error("No client with this client_id") };

const KEY_ERRORS = { ...COMMON_ERRORS, "404": error("No client with this client_id, or no key with this kid") };
const kidParam = { name: "kid", in: "path", required: true, description: "the key's kid, URL-encoded", schema: { type: "string" } };

const campaignIdParam = { name: "campaign_id", in: "path", required: true, description: "the campaign's id", schema: { type: "string" } };
const CAMPAIGN_ERRORS = { ...COMMON_ERRORS, "404": error("No campaign with this id") };
const CHANGE_ERRORS = {
  ...CAMPAIGN_ERRORS,
  "403": error("The token's user may not change this campaign (auditors; operators on campaigns they neither own nor created)"),
  "409": error("The campaign is closed"),
};

const clientIdParam = {
  name: "client_id",
  in: "path",
  required: true,
  description: "the client's client_id, URL-encoded (it may contain / : and other printable characters)",
  schema: { type: "string" },
};

function componentSchemas(): Record<string, object> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { target: "draft-2020-12", io: "output", uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Record<string, unknown>> };
  // inner schemas carry their own $id/$schema; an OpenAPI component needs neither
  for (const schema of Object.values(out.schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return out.schemas;
}

function queryParameters(params: Record<string, z.ZodType>) {
  return Object.entries(params).map(([name, schema]) => {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12" }) as Record<string, unknown>;
    delete json.$schema;
    return { name, in: "query", required: false, schema: json };
  });
}

const dataList = (item: keyof typeof SCHEMAS) => ({ type: "object", properties: { data: { type: "array", items: ref(item) } }, required: ["data"], additionalProperties: false });

export function openApiDocument(serverUrl: string) {
  const listParams = queryParameters(ClientListParams);
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyshift API",
      version: "1",
      description:
        "Manage confidential OAuth clients, their secrets and their public keys. Authenticate with an API token (Authorization: Bearer ksa_…); each token acts as its user with that user's current role. Errors always answer { error: { code, message, fields? } }. Lists page with `page` (from 1) and `page_size` (25, 50 or 100) and return `total`.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ apiToken: [] }],
    components: {
      securitySchemes: { apiToken: { type: "http", scheme: "bearer", description: "an API token created in the console (Account → API tokens) or with the admin CLI" } },
      schemas: componentSchemas(),
    },
    paths: {
      "/clients": {
        get: {
          operationId: "listClients",
          summary: "List clients (filters, sorting, paging as in the console)",
          parameters: listParams,
          responses: { "200": ok("A page of clients", ref("ClientPage")), "422": error("An unknown parameter or an invalid value"), ...COMMON_ERRORS },
        },
        post: {
          operationId: "createClient",
          summary: "Register a client; its first secret is returned once",
          requestBody: { required: true, content: content(ref("ClientCreate")) },
          responses: {
            "201": ok("The client and its first secret", ref("ClientCreated")),
            "400": error("The body is not a JSON object"),
            "409": error("The client_id is taken"),
            "422": error("Invalid fields"),
            ...COMMON_ERRORS,
          },
        },
      },
      "/clients/{client_id}": {
        parameters: [clientIdParam],
        get: { operationId: "getClient", summary: "A client with its secrets (never their values)", responses: { "200": ok("The client", ref("Client")), ...CLIENT_ERRORS } },
        patch: {
          operationId: "updateClient",
          summary: "Change some of a client's fields (client_id and auth_method are not changed here)",
          requestBody: { required: true, content: content(ref("ClientUpdate")) },
          responses: { "200": ok("The changed client", ref("Client")), "400": error("The body is not a JSON object"), "422": error("Invalid fields"), ...CLIENT_ERRORS },
        },
        delete: {
          operationId: "deleteClient",
          summary: "Delete a client: its secrets are revoked, its history kept, its client_id never reused",
          responses: { "204": { description: "Deleted" }, ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/disable": {
        parameters: [clientIdParam],
        post: { operationId: "disableClient", summary: "Disable a client", responses: { "200": ok("The client", ref("Client")), "422": error("Already disabled"), ...CLIENT_ERRORS } },
      },
      "/clients/{client_id}/enable": {
        parameters: [clientIdParam],
        post: { operationId: "enableClient", summary: "Enable a client", responses: { "200": ok("The client", ref("Client")), "422": error("Already enabled"), ...CLIENT_ERRORS } },
      },
      "/clients/{client_id}/secrets": {
        parameters: [clientIdParam],
        get: {
          operationId: "listSecrets",
          summary: "The client's secrets (hints and dates, never values)",
          responses: { "200": ok("Secrets, newest first", dataList("Secret")), ...CLIENT_ERRORS },
        },
        post: {
          operationId: "issueSecret",
          summary: "Issue a secret for a client that has no valid one; returned once",
          responses: { "201": ok("The new secret", ref("NewSecret")), "409": error("The client has a valid secret (rotate it), is disabled, or does not use secrets"), ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/secrets/rotate": {
        parameters: [clientIdParam],
        post: {
          operationId: "rotateSecret",
          summary: "Rotate: a new secret (returned once); the current ones keep working until previous_valid_until",
          responses: { "201": ok("The new secret", ref("NewSecret")), "409": error("The client is disabled or does not use secrets"), ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/secrets/{secret_id}/revoke": {
        parameters: [clientIdParam, { name: "secret_id", in: "path", required: true, schema: { type: "string" } }],
        post: {
          operationId: "revokeSecret",
          summary: "Revoke one secret now",
          responses: { "200": ok("The revoked secret", ref("Secret")), "422": error("Already revoked"), ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/keys": {
        parameters: [clientIdParam],
        get: {
          operationId: "listKeys",
          summary: "The client's public keys: usable ones first, newest first",
          responses: { "200": ok("Keys", dataList("ClientKey")), ...CLIENT_ERRORS },
        },
        post: {
          operationId: "registerKeys",
          summary: "Register public keys from a JWKS, a PEM key or an X.509 certificate: every key is checked first, then all are added or none. Optionally scheduled (not_before) or rotating the current keys out (retire_current)",
          requestBody: { required: true, content: content({ oneOf: [ref("KeyMaterial"), ref("Jwks")] }) },
          responses: {
            "201": ok("The keys added", ref("KeyRegistration")),
            "400": error("The body is not a JSON object"),
            "409": error("A kid or the same key is already registered for the client, or the client's keys come from a jwks_uri"),
            "422": error("Not acceptable key material (a private or symmetric key, a weak or unsupported key, an expired certificate, a duplicate kid, an unknown field); nothing was stored"),
            ...CLIENT_ERRORS,
          },
        },
      },
      "/clients/{client_id}/keys/{kid}/retire": {
        parameters: [clientIdParam, kidParam],
        post: {
          operationId: "retireKey",
          summary: "Retire a key: on a date (accepted as retiring until then), or now with a reason (compromise)",
          requestBody: { required: true, content: content(ref("RetireKey")) },
          responses: {
            "200": ok("The key", ref("ClientKey")),
            "409": error("Already retired; a jwks_uri key (remove it from the document, or retire it now); or used recently and confirm_recent_use was not given (the message says when)"),
            "422": error("A missing reason, a date in the past or more than a year ahead"),
            ...KEY_ERRORS,
          },
        },
      },
      "/clients/{client_id}/keys/{kid}/keep": {
        parameters: [clientIdParam, kidParam],
        post: {
          operationId: "keepKey",
          summary: "Cancel a retiring key's retirement: it is active again",
          responses: { "200": ok("The key", ref("ClientKey")), "409": error("The key is not retiring"), ...KEY_ERRORS },
        },
      },
      "/clients/{client_id}/jwks-uri": {
        parameters: [clientIdParam],
        get: {
          operationId: "getJwksUri",
          summary: "The client's jwks_uri: health and recent fetches",
          responses: { "200": ok("The jwks_uri", ref("JwksUriState")), ...CLIENT_ERRORS, "404": error("No client with this client_id, or it has no jwks_uri") },
        },
        put: {
          operationId: "linkJwksUri",
          summary: "Link a jwks_uri: it is fetched through the SSRF guard and checked first; nothing is saved unless it yields a usable signing key",
          requestBody: { required: true, content: content(ref("JwksUriLink")) },
          responses: {
            "200": ok("The linked jwks_uri", ref("JwksUriState")),
            "409": error("Already linked, or the client has registered keys that are not retired"),
            "422": error("Not an https URL (http only for development clients), refused by the SSRF guard, unreachable, not JSON, or without a usable key"),
            ...CLIENT_ERRORS,
          },
        },
        delete: {
          operationId: "unlinkJwksUri",
          summary: "Unlink the jwks_uri: its keys are retired at once",
          responses: { "204": { description: "Unlinked" }, "409": error("The client has no jwks_uri"), ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/jwks-uri/refresh": {
        parameters: [clientIdParam],
        post: {
          operationId: "refreshJwksUri",
          summary: "Fetch the jwks_uri now (skipped when another fetch is running)",
          responses: { "200": ok("What the fetch did", ref("JwksRefresh")), "409": error("The client has no jwks_uri"), ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/migration": {
        parameters: [clientIdParam],
        get: {
          operationId: "getMigration",
          summary: "Where the client's migration to private_key_jwt stands, with the readiness evidence from traffic",
          responses: { "200": ok("The migration", ref("Migration")), ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/migration/dual": {
        parameters: [clientIdParam],
        post: {
          operationId: "dualWindow",
          summary: "Open the dual window (the secret and an assertion are both accepted until `until`), or move an open window's end date",
          requestBody: { required: false, content: content(ref("MigrationWindow")) },
          responses: { "400": error("The body is not a JSON object"),
            "200": ok("The migration", ref("Migration")),
            "409": error("Not at keys_registered (or dual, to move the end), no active key, or changed meanwhile"),
            "422": error("An end date in the past or more than 365 days ahead, or an unknown field"),
            ...CLIENT_ERRORS,
          },
        },
      },
      "/clients/{client_id}/migration/rollback": {
        parameters: [clientIdParam],
        post: {
          operationId: "rollBackMigration",
          summary: "Roll the dual window back: only the secret is accepted again; the keys stay registered",
          requestBody: { required: false, content: content(ref("MigrationReason")) },
          responses: { "400": error("The body is not a JSON object"), "200": ok("The migration", ref("Migration")), "409": error("No dual window is open"), "422": error("An unknown field"), ...CLIENT_ERRORS },
        },
      },
      "/clients/{client_id}/migration/finalise": {
        parameters: [clientIdParam],
        post: {
          operationId: "finaliseMigration",
          summary: "Finalise: only assertions are accepted and the secrets are revoked. Before the client is ready (an assertion succeeded, the secret quiet for the set days) a reason is required",
          requestBody: { required: false, content: content(ref("MigrationReason")) },
          responses: { "400": error("The body is not a JSON object"),
            "200": ok("The migration", ref("Migration")),
            "409": error("No dual window is open, no active key (it would leave the client without a credential), or changed meanwhile"),
            "422": error("Not ready and no reason given (the message says why it is not ready), or an unknown field"),
            ...CLIENT_ERRORS,
          },
        },
      },
      "/clients/{client_id}/migration/break-glass": {
        parameters: [clientIdParam],
        post: {
          operationId: "breakGlass",
          summary: "Emergency: a secret valid for 24 hours for a finalised client whose keys are lost (administrators, reason required); returned once",
          requestBody: { required: true, content: content(ref("MigrationReason")) },
          responses: { "400": error("The body is not a JSON object"),
            "201": ok("The break-glass secret", ref("BreakGlassSecret")),
            "409": error("The migration is not finalised, or the client is disabled"),
            "422": error("No reason, or an unknown field"),
            ...COMMON_ERRORS,
            "404": error("No client with this client_id"),
          },
        },
      },
      "/keys": {
        get: {
          operationId: "findKeys",
          summary: "Every client's key with this RFC 7638 thumbprint: who uses a key",
          parameters: [{ name: "thumbprint", in: "query", required: true, schema: { type: "string" }, description: "base64url SHA-256 thumbprint (43 characters)" }],
          responses: { "200": ok("The keys", dataList("KeyWithClient")), "400": error("No thumbprint given"), "422": error("Not a thumbprint, or an unknown parameter"), ...COMMON_ERRORS },
        },
      },
      "/keys/expiring": {
        get: {
          operationId: "expiringKeys",
          summary: "Keys and certificates expiring within the window, soonest first",
          parameters: [{ name: "within_days", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 365 }, description: "default: the keys-expiring-soon setting" }],
          responses: {
            "200": ok("The keys", { type: "object", required: ["within_days", "data"], properties: { within_days: { type: "integer" }, data: { type: "array", items: ref("KeyWithClient") } } }),
            "422": error("within_days out of range, or an unknown parameter"),
            ...COMMON_ERRORS,
          },
        },
      },
      "/campaigns": {
        get: {
          operationId: "listCampaigns",
          summary: "Campaigns with their live progress: active ones first (soonest deadline first), then closed ones",
          parameters: [{ name: "status", in: "query", required: false, schema: { type: "string", enum: ["active", "closed"] } }],
          responses: { "200": ok("The campaigns", dataList("CampaignItem")), "422": error("An unknown parameter or status"), ...COMMON_ERRORS },
        },
        post: {
          operationId: "createCampaign",
          summary: "Create a campaign over the clients the filters list now (the cohort is frozen): a migration leaves out clients on private_key_jwt, a rotation takes only valid secrets older than its age",
          requestBody: { required: true, content: content(ref("CampaignCreate")) },
          responses: {
            "201": ok("The campaign", ref("Campaign")),
            "400": error("The body is not a JSON object"),
            "409": error("A campaign with this name exists"),
            "422": error("A field or filter is invalid, the deadline is past or too far, the owner is not an administrator or operator, or the cohort is empty or too large"),
            ...COMMON_ERRORS,
          },
        },
      },
      "/campaigns/{campaign_id}": {
        parameters: [campaignIdParam],
        get: { operationId: "getCampaign", summary: "A campaign: progress per stage, funnel, per-team counts and burn-down", responses: { "200": ok("The campaign", ref("Campaign")), ...CAMPAIGN_ERRORS } },
        patch: {
          operationId: "updateCampaign",
          summary: "Rename a campaign or change its description, deadline or owner (audited)",
          requestBody: { required: true, content: content(ref("CampaignUpdate")) },
          responses: { "200": ok("The campaign", ref("Campaign")), "400": error("The body is not a JSON object"), "422": error("An invalid or unknown field"), ...CHANGE_ERRORS, "409": error("The campaign is closed, or the name is taken") },
        },
      },
      "/campaigns/{campaign_id}/close": {
        parameters: [campaignIdParam],
        post: {
          operationId: "closeCampaign",
          summary: "Close the campaign: its figures and report stay, it no longer changes",
          requestBody: { required: false, content: content(ref("CampaignReason")) },
          responses: { "200": ok("The campaign", ref("Campaign")), "400": error("The body is not a JSON object"), "422": error("An unknown field or a reason over 500 characters"), ...CHANGE_ERRORS },
        },
      },
      "/campaigns/{campaign_id}/clients": {
        parameters: [campaignIdParam],
        get: {
          operationId: "listCampaignClients",
          summary: "The campaign's clients with their stage, by name",
          parameters: [
            { name: "stage", in: "query", required: false, schema: { type: "string" }, description: "one stage of the campaign's kind" },
            { name: "team", in: "query", required: false, schema: { type: "string" }, description: "owner team id" },
            { name: "overdue", in: "query", required: false, schema: { type: "string", enum: ["1", "true"] }, description: "only clients not done past the deadline (or, in a migration, past their own dual window)" },
            { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1 } },
            { name: "page_size", in: "query", required: false, schema: { type: "integer", enum: [25, 50, 100] }, description: "default 50" },
          ],
          responses: { "200": ok("A page of clients", ref("CampaignClientPage")), "422": error("An unknown parameter or an invalid value"), ...CAMPAIGN_ERRORS },
        },
        post: {
          operationId: "addCampaignClients",
          summary: "Add clients by client_id: an unknown client_id refuses the whole list",
          requestBody: { required: true, content: content(ref("CampaignClientsAdd")) },
          responses: { "200": ok("What was added", ref("CampaignClientsAdded")), "400": error("The body is not a JSON object"), "422": error("Unknown client_ids (named), or a malformed list"), ...CHANGE_ERRORS },
        },
      },
      "/campaigns/{campaign_id}/clients/{client_id}": {
        parameters: [campaignIdParam, clientIdParam],
        delete: {
          operationId: "removeCampaignClient",
          summary: "Remove one client from the cohort (the client itself is untouched); an optional reason is audited",
          requestBody: { required: false, content: content(ref("CampaignReason")) },
          responses: { "204": { description: "Removed" }, "400": error("The body is not a JSON object"), "422": error("An unknown field"), ...CHANGE_ERRORS, "404": error("No such campaign, or the client is not in it") },
        },
      },
      "/campaigns/{campaign_id}/report": {
        parameters: [campaignIdParam],
        get: {
          operationId: "campaignReport",
          summary: "The campaign report as CSV: every client with its team, stage, overdue flag and evidence",
          responses: { "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } }, ...CAMPAIGN_ERRORS },
        },
      },
      ...notifyPaths(),
      "/users": {
        get: { operationId: "listUsers", summary: "Users with their roles and teams (never password material)", responses: { "200": ok("All users", dataList("User")), ...COMMON_ERRORS } },
      },
      "/teams": {
        get: { operationId: "listTeams", summary: "Teams with their members and client counts", responses: { "200": ok("All teams", dataList("Team")), ...COMMON_ERRORS } },
      },
      "/audit": {
        get: {
          operationId: "listAudit",
          summary: "The audit trail, newest first, 50 entries a page",
          parameters: queryParameters(AuditParams),
          responses: { "200": ok("A page of entries", ref("AuditPage")), "422": error("An unknown parameter or an unreadable value"), ...COMMON_ERRORS },
        },
      },
      "/audit/export": {
        get: {
          operationId: "exportAudit",
          summary: "The filtered audit trail as CSV, oldest first, with each entry's chain hashes",
          parameters: queryParameters(AuditParams).filter((p) => p.name !== "page"),
          responses: { "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } }, "422": error("An unknown parameter or an unreadable value"), ...COMMON_ERRORS },
        },
      },
    },
  };
}
