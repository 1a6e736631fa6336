import { describe, expect, it } from "vitest";
import { readKeycloakExport } from "@/lib/inventory/keycloak";

const defaults = { environment: "staging", team: "Identity", contactEmail: "iam@example.test" };
const realm = (clients: unknown[]) => JSON.stringify({ realm: "acme", clients });

describe("readKeycloakExport", () => {
  it("maps a confidential client-secret client with its secret creation time", () => {
    const [row] = readKeycloakExport(
      realm([
        {
          clientId: "orders-api",
          name: "Orders API",
          publicClient: false,
          clientAuthenticatorType: "client-secret",
          serviceAccountsEnabled: true,
          defaultClientScopes: ["profile", "roles"],
          optionalClientScopes: ["orders:read"],
          attributes: { "client.secret.creation.time": "1700000000" },
        },
      ]),
      defaults,
    );
    expect(row).toEqual({
      ref: "clients[0]",
      values: {
        client_id: "orders-api",
        name: "Orders API",
        description: "",
        environment: "staging",
        team: "Identity",
        contact_email: "iam@example.test",
        auth_method: "client_secret_basic",
        grant_types: "client_credentials",
        scopes: "profile roles orders:read",
        secret_created_at: "2023-11-14T22:13:20.000Z",
        secret_expires_at: "",
      },
    });
  });

  it.each([
    { name: "a built-in client", client: { clientId: "admin-cli", publicClient: true }, ignore: "built-in" },
    { name: "a public client", client: { clientId: "spa", publicClient: true }, ignore: "public client: it has no credentials to migrate" },
    { name: "a bearer-only client", client: { clientId: "api", bearerOnly: true }, ignore: "bearer-only client: it never authenticates at the token endpoint" },
    {
      name: "a client-jwt client, naming what it will need",
      client: { clientId: "jwt", clientAuthenticatorType: "client-jwt", attributes: { "use.jwks.url": "true", "jwks.url": "https://jwt.example.test/jwks", "token.endpoint.auth.signing.alg": "PS256" } },
      ignore: "private_key_jwt (client-jwt): key management not available yet; it will need jwks.url https://jwt.example.test/jwks, signing alg PS256",
    },
    { name: "a client-secret-jwt client", client: { clientId: "csj", clientAuthenticatorType: "client-secret-jwt" }, ignore: "client authenticator client-secret-jwt is not supported" },
  ])("skips $name with the reason", ({ client, ignore }) => {
    expect(readKeycloakExport(realm([client]), defaults)[0].ignore).toBe(ignore);
  });

  it("names a client by its clientId when it has no name or a message-bundle name", () => {
    const rows = readKeycloakExport(realm([{ clientId: "a" }, { clientId: "b", name: "${client_b}" }]), defaults);
    expect(rows.map((r) => r.values.name)).toEqual(["a", "b"]);
  });

  it.each([
    { name: "not JSON", input: "{", message: "The file is not valid JSON" },
    { name: "no clients array", input: "{}", message: "The JSON has no `clients` array" },
  ])("refuses $name", ({ input, message }) => {
    expect(() => readKeycloakExport(input, defaults)).toThrow(message);
  });
});
