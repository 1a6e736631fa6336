// next-auth configuration: local accounts through the credentials provider, optional single sign-on
// through the organisation's OpenID provider (lib/auth/sso*.ts), and JWT sessions that carry only the
// user id (the role is read from the database on every request: lib/auth/guard.ts).
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { ConfigError, derivedKey } from "../config";
import { db } from "../db";
import { addressFrom } from "../net/address";
import { log } from "../log";
import { recordSignOut, signInWithPassword } from "./signin";
import { signInWithSso, SSO_REFUSAL_MESSAGES } from "./sso";
import { ssoConfig, type SsoConfig } from "./sso-config";

export const SSO_PROVIDER_ID = "sso";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export { addressFrom };

export const SIGN_IN_MESSAGES: Record<string, string> = {
  invalid_credentials: "The email or password is not correct.",
  // the same words as a wrong password: a distinct message would confirm that the password was right
  disabled: "The email or password is not correct.",
  throttled: "Too many failed sign-ins. Wait 15 minutes and try again.",
  // next-auth's codes for a single sign-on that failed before Keyshift saw who it was (details in the log)
  OAuthSignin: "Single sign-on could not start. Try again, or sign in with your password.",
  OAuthCallback: "Single sign-on did not complete. Try again, or sign in with your password.",
  Callback: "Single sign-on did not complete. Try again, or sign in with your password.",
  AccessDenied: "Single sign-on was refused.",
  ...Object.fromEntries(Object.entries(SSO_REFUSAL_MESSAGES).map(([reason, message]) => [`sso_${reason}`, message])),
};

/** The configured single sign-on, or null; a broken configuration is logged and leaves password sign-in working. */
export function availableSso(): SsoConfig | null {
  try {
    return ssoConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error({ err: error.message }, "single sign-on is disabled: its configuration is not valid");
    return null;
  }
}

type Claims = Record<string, unknown>;

function ssoProvider(config: SsoConfig): OAuthConfig<Claims> {
  const { auth } = config;
  return {
    id: SSO_PROVIDER_ID,
    name: config.displayName,
    type: "oauth",
    wellKnown: `${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid email profile" } },
    // the ID token is validated (signature, issuer, audience, nonce) by openid-client
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    clientId: config.clientId,
    ...(auth.method === "private_key_jwt"
      ? {
          // openid-client signs a fresh assertion (aud: the provider's issuer, 60 s, unique jti) per call
          client: { token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: auth.alg },
          jwks: { keys: [auth.jwk as Record<string, unknown> & { kty: string }] },
        }
      : { clientSecret: auth.secret, client: { token_endpoint_auth_method: "client_secret_basic" } }),
    userinfo: {
      // many providers put email claims only in the UserInfo response for the code flow
      async request({ tokens, client }) {
        // at run time this is openid-client's TokenSet (next-auth types it as plain parameters)
        const set = tokens as unknown as { claims(): Claims; access_token?: string };
        const claims = set.claims();
        if (claims.email !== undefined && claims.email_verified !== undefined) return claims;
        if (!set.access_token) return claims;
        // openid-client refuses a UserInfo response whose sub differs from the ID token's
        const info = (await client.userinfo(set as never)) as Claims;
        return { ...claims, email: info.email, email_verified: info.email_verified, name: claims.name ?? info.name };
      },
    },
    profile(claims) {
      return { id: String(claims.sub), email: typeof claims.email === "string" ? claims.email : null, name: typeof claims.name === "string" ? claims.name : null };
    },
  };
}

let options: NextAuthOptions | undefined;

/**
 * For the sign-in route itself: the same options, with a single sign-on callback that knows the
 * caller's address (next-auth hands callbacks no request), so the audit entry records it.
 */
export function authOptionsForRequest(address: string): NextAuthOptions {
  const base = authOptions();
  return { ...base, callbacks: { ...base.callbacks, signIn: (params) => ssoSignIn(params, address) } };
}

type SignInParams = Parameters<NonNullable<NonNullable<NextAuthOptions["callbacks"]>["signIn"]>>[0];

async function ssoSignIn({ account, profile }: SignInParams, address: string): Promise<boolean | string> {
  const sso = availableSso();
  if (account?.provider !== SSO_PROVIDER_ID || !sso) return true;
  const claims = (profile ?? {}) as Claims;
  // the ID token's issuer was checked against the discovery document; that must be the configured one
  if (claims.iss !== sso.issuer) {
    log.error({ expected: sso.issuer, got: claims.iss }, "single sign-on refused: the provider's issuer is not the configured one");
    return "/login?error=OAuthCallback";
  }
  const result = await signInWithSso(
    {
      issuer: sso.issuer,
      subject: String(claims.sub),
      email: typeof claims.email === "string" ? claims.email : undefined,
      emailVerified: claims.email_verified,
      name: typeof claims.name === "string" ? claims.name : undefined,
    },
    address,
  );
  return result.ok ? true : `/login?error=sso_${result.reason}`;
}

export function authOptions(): NextAuthOptions {
  const sso = availableSso();
  return (options ??= {
    // derived from the master key, so every instance sharing the key accepts the same sessions
    secret: derivedKey("session").toString("base64url"),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? "");
          const password = String(credentials?.password ?? "");
          if (!email || !password) return null;
          const result = await signInWithPassword(email, password, addressFrom(req?.headers));
          // the thrown message reaches the sign-in form as `error`; it names no account detail
          if (!result.ok) throw new Error(result.reason);
          return { id: result.user.id, email: result.user.email, name: result.user.name };
        },
      }),
      ...(sso ? [ssoProvider(sso)] : []),
    ],
    callbacks: {
      // outside the sign-in route there is no request address; the route uses authOptionsForRequest
      signIn: (params) => ssoSignIn(params, "unknown"),
      async jwt({ token, user, account }) {
        if (user && account?.provider === SSO_PROVIDER_ID) {
          // the session names the Keyshift user that signInWithSso matched or created, not the provider's subject
          const match = await db().user.findUnique({ where: { email: String(user.email ?? "").toLowerCase() }, select: { id: true } });
          token.uid = match?.id;
        } else if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, uid: typeof token.uid === "string" ? token.uid : undefined };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.uid === "string") await recordSignOut(token.uid);
      },
    },
  });
}
