// One place for the browser suite's server settings: the config starts the server with them and the
// global setup seeds the same database with the same master key.
import path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = path.resolve(__dirname, "..", "..", "data", "e2e");
const idpPort = Number(process.env.E2E_IDP_PORT ?? port + 1);
const ssoKeyFile = path.join(dataDir, "sso-console-key.json");

export const E2E = {
  port,
  baseURL: `http://localhost:${port}`,
  dataDir,
  admin: { email: "admin@e2e.test", password: "e2e-admin-password-1" },
  password: "e2e-user-password-1",
  /** the OpenID provider for single sign-on (tests/e2e/oidc-idp.ts) */
  idp: { port: idpPort, issuer: `http://localhost:${idpPort}`, clientId: "keyshift-console", name: "Test IdP", keyFile: ssoKeyFile },
  serverEnv: {
    PORT: String(port),
    DATABASE_URL: `file:${path.join(dataDir, "keyshift.db")}`,
    KEYSHIFT_MASTER_KEY: "6b657973686966742d6532652d746573742d6d61737465722d6b65792d333262",
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
