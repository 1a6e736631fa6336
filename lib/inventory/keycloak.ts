// Reading a Keycloak realm export (Realm settings → Partial export, or kc.sh export): its `clients`
// array mapped to inventory rows. Keycloak has no environment, owner team or contact on a client, so
// those come from the caller (the CLI's --environment, --team and --contact).
import { invalid } from "../errors";
import type { InventoryRow } from "./rows";

export type KeycloakDefaults = { environment: string; team: string; contactEmail: string };

/** Clients every realm has, which Keycloak itself manages. */
export const KEYCLOAK_BUILT_IN = new Set(["realm-management", "broker", "account", "account-console", "admin-cli", "security-admin-console"]);

type KeycloakClient = {
  clientId?: unknown;
  name?: unknown;
  description?: unknown;
  publicClient?: unknown;
  bearerOnly?: unknown;
  clientAuthenticatorType?: unknown;
  serviceAccountsEnabled?: unknown;
  standardFlowEnabled?: unknown;
  defaultClientScopes?: unknown;
  optionalClientScopes?: unknown;
  attributes?: Record<string, unknown>;
};

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** Keycloak keeps secret times as epoch seconds in a string attribute. */
function epochSeconds(value: unknown): string {
  const seconds = Number(text(value));
  return text(value) && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : "";
}

function grantTypesOf(client: KeycloakClient): string {
  const grants: string[] = [];
  if (client.serviceAccountsEnabled === true) grants.push("client_credentials");
  if (client.standardFlowEnabled === true) grants.push("authorization_code");
  return grants.join(" ");
}

/** Why a client is not imported (confidential clients authenticating with a secret only), or null. */
function ignoredBecause(client: KeycloakClient): string | null {
  const clientId = text(client.clientId);
  if (KEYCLOAK_BUILT_IN.has(clientId)) return "built-in";
  if (client.bearerOnly === true) return "bearer-only client: it never authenticates at the token endpoint";
  if (client.publicClient === true) return "public client: it has no credentials to migrate";
  const authenticator = text(client.clientAuthenticatorType) || "client-secret";
  if (authenticator === "client-jwt") {
    const attributes = client.attributes ?? {};
    const jwks = text(attributes["use.jwks.url"]) === "true" && text(attributes["jwks.url"]) ? `jwks.url ${text(attributes["jwks.url"])}` : "keys registered in Keycloak (no jwks.url)";
    const alg = text(attributes["token.endpoint.auth.signing.alg"]) || "any";
    return `private_key_jwt (client-jwt): key management not available yet; it will need ${jwks}, signing alg ${alg}`;
  }
  if (authenticator !== "client-secret") return `client authenticator ${authenticator} is not supported`;
  return null;
}

/** The rows of a realm export's `clients` array; environment, team and contact from `defaults`. */
export function readKeycloakExport(json: string, defaults: KeycloakDefaults): InventoryRow[] {
  let realm: unknown;
  try {
    realm = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch {
    throw invalid("The file is not valid JSON: expected a Keycloak realm export.");
  }
  const clients = (realm as { clients?: unknown } | null)?.clients;
  if (!Array.isArray(clients)) throw invalid("The JSON has no `clients` array: expected a Keycloak realm export.");
  return clients.map((raw: unknown, index): InventoryRow => {
    const client = (raw && typeof raw === "object" ? raw : {}) as KeycloakClient;
    const clientId = text(client.clientId);
    const attributes = client.attributes ?? {};
    const row: InventoryRow = {
      ref: `clients[${index}]`,
      values: {
        client_id: clientId,
        // Keycloak shows the clientId when a client has no name; "${…}" names are message-bundle keys
        name: text(client.name) && !text(client.name).startsWith("${") ? text(client.name) : clientId,
        description: text(client.description),
        environment: defaults.environment,
        team: defaults.team,
        contact_email: defaults.contactEmail,
        auth_method: "client_secret_basic",
        grant_types: grantTypesOf(client),
        scopes: [...new Set([...strings(client.defaultClientScopes), ...strings(client.optionalClientScopes)])].join(" "),
        secret_created_at: epochSeconds(attributes["client.secret.creation.time"]),
        secret_expires_at: epochSeconds(attributes["client.secret.expiration.time"]),
      },
    };
    if (!clientId) row.error = "the client has no clientId";
    const ignored = clientId ? ignoredBecause(client) : null;
    if (ignored) row.ignore = ignored;
    return row;
  });
}
