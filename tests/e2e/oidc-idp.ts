// A real OpenID Provider (panva's oidc-provider) for the single sign-on browser tests. It knows the
// console as a confidential client that must authenticate with private_key_jwt using the public half
// of the key in KEYSHIFT_OIDC_KEY_FILE, and it records each token request's client authentication at
// GET /test/token-requests so a test can check what the console sent.
//
// Accounts: any login is accepted by the provider's development sign-in page; the login is the
// email. A login starting with "unverified" has email_verified=false.
import crypto from "node:crypto";
import Provider from "oidc-provider";
import { publicJwkOf, readSigningKey } from "../../lib/auth/sso-config";
import { E2E } from "./env";

type TokenRequest = { status: number; clientAuthMethod: string | null; assertionHeader: unknown; assertionClaims: unknown };

const keyFile = process.env.KEYSHIFT_OIDC_KEY_FILE;
if (!keyFile) throw new Error("KEYSHIFT_OIDC_KEY_FILE must name the console's key file");
const consoleKey = publicJwkOf(readSigningKey(keyFile).jwk);
const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

const provider = new Provider(E2E.idp.issuer, {
  clients: [
    {
      client_id: E2E.idp.clientId,
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "ES256",
      jwks: { keys: [consoleKey] },
      redirect_uris: [`${E2E.baseURL}/api/auth/callback/sso`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [{ ...signingKey, kid: "idp-signing", alg: "RS256", use: "sig" }] },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith("unverified"), name: `SSO ${id.split("@")[0]}` };
      },
    };
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["keyshift-e2e-idp-cookie-key"] },
});

const tokenRequests: TokenRequest[] = [];

function decodeSegment(token: string, index: number): unknown {
  try {
    return JSON.parse(Buffer.from(token.split(".")[index] ?? "", "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

provider.use(async (ctx, next) => {
  if (ctx.method === "GET" && ctx.path === "/test/token-requests") {
    ctx.body = tokenRequests;
    return;
  }
  await next();
  if (ctx.method === "POST" && ctx.path === "/token") {
    const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>;
    const assertion = typeof params.client_assertion === "string" ? params.client_assertion : null;
    tokenRequests.push({
      status: ctx.status,
      clientAuthMethod: ctx.oidc?.client?.clientAuthMethod ?? null,
      assertionHeader: assertion && decodeSegment(assertion, 0),
      assertionClaims: assertion && decodeSegment(assertion, 1),
    });
  }
});

provider.listen(E2E.idp.port, () => process.stdout.write(`test OpenID provider at ${E2E.idp.issuer}\n`));
