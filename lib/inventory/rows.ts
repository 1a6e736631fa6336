// The shape every inventory source (CSV file, Keycloak realm export) is read into before planning:
// raw cell text per documented column, so the same rules and messages apply whatever the source.

/**
 * The inventory columns, in export order. A CSV import needs a header row naming them
 * (case-insensitive; spaces and hyphens read as underscores; columns it does not know are ignored):
 *   client_id          required; printable ASCII without spaces
 *   name               required
 *   description        optional
 *   environment        required: production | staging | development
 *   team               required: the name of an existing team (rows naming an unknown team are refused)
 *   contact_email      required
 *   auth_method        client_secret_basic | client_secret_post (private_key_jwt rows are skipped:
 *                      key management is not available yet)
 *   grant_types        optional, space-separated (default client_credentials)
 *   scopes             optional, space-separated
 *   secret_created_at  optional ISO 8601 date or time of the current secret (default: the import time)
 *   secret_expires_at  optional ISO 8601 date or time (default: no expiry)
 * For a client_id that already exists, an empty optional cell keeps the current value: an import
 * never clears a field, never changes the authentication method and never touches secrets.
 */
export const INVENTORY_COLUMNS = [
  "client_id",
  "name",
  "description",
  "environment",
  "team",
  "contact_email",
  "auth_method",
  "grant_types",
  "scopes",
  "secret_created_at",
  "secret_expires_at",
] as const;
export type InventoryColumn = (typeof INVENTORY_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly InventoryColumn[] = ["client_id", "name", "environment", "team", "contact_email", "auth_method"];

export type InventoryRow = {
  /** where the row came from, for messages: "line 4", "clients[2]" */
  ref: string;
  /** cell text per column; a column missing from the source is absent */
  values: Partial<Record<InventoryColumn, string>>;
  /** decided by the reader: not imported, and not an error (a built-in Keycloak client) */
  ignore?: string;
  /** decided by the reader: the row is malformed, which blocks a real run */
  error?: string;
};

export type InventoryFormat = "csv" | "keycloak";
