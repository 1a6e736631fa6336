// One place for the browser suite's server settings: the config starts the server with them and the
// global setup seeds the same database with the same master key.
import path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = path.resolve(__dirname, "..", "..", "data", "e2e");
const idpPort = Number(process.env.E2E_IDP_PORT ?? port + 1);
const ssoKeyFile = path.join(dataDir, "sso-console-key.json");
const tokenPort = Number(process.env.E2E_TOKEN_PORT ?? port + 2);
const issuer = `http://localhost:${port}`;
const databaseUrl = `file:${path.join(dataDir, "keyshift.db")}`;
const masterKey = "6b657973686966742d6532652d746573742d6d61737465722d6b65792d333262";

/** What tests/e2e/seed.ts writes to E2E.interopFile for interop.spec.ts. */
export type InteropClients = {
  secretBasic: { clientId: string; secret: string };
  secretPost: { clientId: string; secret: string };
  privateKeyJwt: { clientId: string; keys: { alg: "ES256" | "RS256" | "PS256" | "EdDSA"; kid: string; privateJwk: Record<string, unknown> }[] };
};

export const E2E = {
  port,
  baseURL: `http://localhost:${port}`,
  dataDir,
  admin: { email: "admin@e2e.test", password: "e2e-admin-password-1" },
  password: "e2e-user-password-1",
  /** the OpenID provider for single sign-on (tests/e2e/oidc-idp.ts) */
  idp: { port: idpPort, issuer: `http://localhost:${idpPort}`, clientId: "keyshift-console", name: "Test IdP", keyFile: ssoKeyFile },
  /** the console's issuer identifier, which the token server shares */
  issuer,
  /**
   * `npm run token-server` beside the console, on the same database, advertising its own token endpoint
   * as a deployment that scales the hot path would
   */
  tokenServer: {
    port: tokenPort,
    baseURL: `http://localhost:${tokenPort}`,
    env: {
      TOKEN_PORT: String(tokenPort),
      DATABASE_URL: databaseUrl,
      KEYSHIFT_MASTER_KEY: masterKey,
      KEYSHIFT_ISSUER: issuer,
      KEYSHIFT_TOKEN_ENDPOINT: `http://localhost:${tokenPort}/oauth/token`,
      LOG_LEVEL: "warn",
    } as Record<string, string>,
  },
  /** what the seed writes for the interoperability tests: client ids, secrets, private JWKs (test-only) */
  interopFile: path.join(dataDir, "interop-clients.json"),
  serverEnv: {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    KEYSHIFT_MASTER_KEY: masterKey,
    KEYSHIFT_ISSUER: issuer,
    KEYSHIFT_ADMIN_EMAIL: "admin@e2e.test",
    KEYSHIFT_ADMIN_PASSWORD: "e2e-admin-password-1",
    NEXTAUTH_URL: `http://localhost:${port}`,
    KEYSHIFT_OIDC_ISSUER: `http://localhost:${idpPort}`,
    KEYSHIFT_OIDC_CLIENT_ID: "keyshift-console",
    KEYSHIFT_OIDC_KEY_FILE: ssoKeyFile,
    KEYSHIFT_OIDC_NAME: "Test IdP",
    LOG_LEVEL: "warn",
  } as Record<string, string>,
};
