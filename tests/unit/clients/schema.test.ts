import { describe, expect, it } from "vitest";
import { ClientCreateSchema, ClientListQuerySchema, ClientUpdateSchema } from "@/lib/clients/schema";
import { zodFields } from "@/lib/validation";

const valid = {
  clientId: "billing-service",
  name: "Billing service",
  description: "",
  environment: "production",
  ownerTeamId: "team-1",
  contactEmail: "owner@example.test",
  authMethod: "client_secret_basic",
  grantTypes: ["client_credentials"],
  scopes: ["read"],
};

describe("ClientCreateSchema: bad input", () => {
  const cases: { name: string; input: Record<string, unknown>; field: string; message: RegExp }[] = [
    { name: "a client_id with a space", input: { clientId: "billing service" }, field: "clientId", message: /printable ASCII characters only, without spaces/ },
    { name: "a client_id with a tab", input: { clientId: "billing\tservice" }, field: "clientId", message: /without spaces/ },
    { name: "a non-ASCII client_id", input: { clientId: "clïent" }, field: "clientId", message: /printable ASCII/ },
    { name: "a client_id with a control character", input: { clientId: "client\u0007" }, field: "clientId", message: /printable ASCII/ },
    { name: "a 256-character client_id", input: { clientId: "a".repeat(256) }, field: "clientId", message: /at most 255 characters/ },
    { name: "a missing name", input: { name: undefined }, field: "name", message: /.+/ },
    { name: "a blank name", input: { name: "   " }, field: "name", message: /Name is required/ },
    { name: "a 201-character name", input: { name: "n".repeat(201) }, field: "name", message: /at most 200/ },
    { name: "a bad contact email", input: { contactEmail: "owner@" }, field: "contactEmail", message: /valid contact email/ },
    { name: "a contact email without domain", input: { contactEmail: "owner" }, field: "contactEmail", message: /valid contact email/ },
    { name: "an unknown environment", input: { environment: "prod" }, field: "environment", message: /production, staging or development/ },
    { name: "an unknown grant type", input: { grantTypes: ["password"] }, field: "grantTypes", message: /Unknown grant type/ },
    { name: "an implicit grant among valid ones", input: { grantTypes: "client_credentials implicit" }, field: "grantTypes", message: /Unknown grant type/ },
    { name: "no grant type", input: { grantTypes: [] }, field: "grantTypes", message: /at least one grant type/ },
    { name: "a scope with a double quote", input: { scopes: ['read"write'] }, field: "scopes", message: /quotes/ },
    { name: "a scope with a backslash", input: { scopes: ["read\\write"] }, field: "scopes", message: /backslashes/ },
    { name: "an unknown auth method", input: { authMethod: "none" }, field: "authMethod", message: /authentication method/ },
    { name: "a missing owner team", input: { ownerTeamId: "" }, field: "ownerTeamId", message: /owner team/ },
    { name: "a relative resource", input: { resources: "/ledger" }, field: "resources", message: /"\/ledger" is not a resource URI: enter absolute URIs without a fragment/ },
    { name: "a resource with a fragment", input: { resources: "https://api.example.test/ledger#v2" }, field: "resources", message: /without a fragment/ },
    { name: "a host name as resource", input: { resources: ["api.example.test"] }, field: "resources", message: /"api.example.test" is not a resource URI/ },
    { name: "a resource listed twice", input: { resources: "https://a.example.test\nhttps://a.example.test" }, field: "resources", message: /listed twice/ },
    { name: "51 resources", input: { resources: Array.from({ length: 51 }, (_, i) => `https://api.example.test/${i}`) }, field: "resources", message: /At most 50/ },
    { name: "introspection that is not a boolean", input: { introspection: "yes" }, field: "introspection", message: /true or false/ },
    { name: "audienceCompat that is not a boolean", input: { audienceCompat: 1 }, field: "audienceCompat", message: /true or false/ },
  ];
  for (const { name, input, field, message } of cases) {
    it(`rejects ${name}`, () => {
      const result = ClientCreateSchema.safeParse({ ...valid, ...input });
      expect(result.success).toBe(false);
      const fields = zodFields(result.error!);
      expect(Object.keys(fields)).toEqual([field]);
      expect(fields[field]).toMatch(message);
    });
  }
});

describe("ClientCreateSchema: client_ids real identity providers issue", () => {
  const ids = [
    { issuer: "Okta", clientId: "0oa1b2c3d4E5F6g7h8i9" },
    { issuer: "Auth0", clientId: "Zx7pQ2mN8vR4tY6uW1sA3dF5gH9jK0lB" },
    { issuer: "a UUID (Azure AD, Keycloak)", clientId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
    { issuer: "Keycloak", clientId: "billing-service" },
    { issuer: "a URL (client ID metadata documents)", clientId: "https://app.example.com/oauth/client.json?v=1#x" },
    { issuer: "a 255-character id", clientId: "x".repeat(255) },
    { issuer: "every printable ASCII symbol", clientId: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" },
  ];
  for (const { issuer, clientId } of ids) {
    it(`accepts ${issuer}`, () => {
      const result = ClientCreateSchema.safeParse({ ...valid, clientId });
      expect(result.success).toBe(true);
      expect(result.data!.clientId).toBe(clientId);
    });
  }

  it("treats an empty client_id as 'generate one'", () => {
    for (const clientId of ["", "   ", undefined]) {
      const result = ClientCreateSchema.safeParse({ ...valid, clientId });
      expect(result.success).toBe(true);
      expect(result.data!.clientId).toBeUndefined();
    }
  });
});

describe("ClientCreateSchema: normalisation", () => {
  it("splits grant types and scopes given as form text", () => {
    const result = ClientCreateSchema.parse({ ...valid, grantTypes: "client_credentials, refresh_token", scopes: "read  write,admin" });
    expect(result.grantTypes).toEqual(["client_credentials", "refresh_token"]);
    expect(result.scopes).toEqual(["read", "write", "admin"]);
  });

  it("trims and lower-cases the contact email and trims the name", () => {
    const result = ClientCreateSchema.parse({ ...valid, contactEmail: "  Owner@Example.TEST ", name: "  Billing  " });
    expect(result.contactEmail).toBe("owner@example.test");
    expect(result.name).toBe("Billing");
  });

  it("defaults description, scopes, resources and both flags", () => {
    const { description: _d, scopes: _s, ...rest } = valid;
    const result = ClientCreateSchema.parse(rest);
    expect(result.description).toBe("");
    expect(result.scopes).toEqual([]);
    expect(result).toMatchObject({ resources: [], introspection: false, audienceCompat: false });
  });

  it("reads resources entered one per line, ignoring blank lines and surrounding spaces", () => {
    const result = ClientCreateSchema.parse({ ...valid, resources: "  https://api.example.test/ledger\r\n\n urn:example:payments  \n" });
    expect(result.resources).toEqual(["https://api.example.test/ledger", "urn:example:payments"]);
  });

  it("keeps commas inside a resource URI", () => {
    expect(ClientCreateSchema.parse({ ...valid, resources: "https://api.example.test/a,b" }).resources).toEqual(["https://api.example.test/a,b"]);
  });

  const checkboxes: { name: string; value: unknown; expected: boolean }[] = [
    { name: "a ticked form checkbox", value: "on", expected: true },
    { name: "an absent form checkbox", value: undefined, expected: false },
    { name: "JSON true", value: true, expected: true },
    { name: "JSON false", value: false, expected: false },
  ];
  for (const { name, value, expected } of checkboxes) {
    it(`reads ${name} as ${expected}`, () => {
      const result = ClientCreateSchema.parse({ ...valid, introspection: value, audienceCompat: value });
      expect([result.introspection, result.audienceCompat]).toEqual([expected, expected]);
    });
  }
});

describe("ClientUpdateSchema", () => {
  it("does not let an update change the client_id or the auth method", () => {
    const result = ClientUpdateSchema.parse({ ...valid, clientId: "other", authMethod: "private_key_jwt" });
    expect(result).not.toHaveProperty("clientId");
    expect(result).not.toHaveProperty("authMethod");
  });
});

describe("ClientListQuerySchema", () => {
  it("drops unknown or malformed values instead of failing", () => {
    const query = ClientListQuerySchema.parse({ environment: "prod", method: "x", age: "1000", expiring: "0", sort: "hash", dir: "up", page: "-3", pageSize: "7" });
    expect(query).toMatchObject({ environment: undefined, method: undefined, age: undefined, expiring: undefined, sort: "name", dir: "asc", page: 1, pageSize: 25 });
  });

  it("keeps valid values", () => {
    const query = ClientListQuerySchema.parse({ q: " Bill ", environment: "staging", age: "31-90", expiring: "14", sort: "createdAt", dir: "desc", page: "2", pageSize: "50" });
    expect(query).toMatchObject({ q: "Bill", environment: "staging", age: "31-90", expiring: 14, sort: "createdAt", dir: "desc", page: 2, pageSize: 50 });
  });
});
