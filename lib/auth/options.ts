// next-auth configuration: local accounts through the credentials provider, JWT sessions that carry
// only the user id (the role is read from the database on every request: lib/auth/guard.ts).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { derivedKey } from "../config";
import { recordSignOut, signInWithPassword } from "./signin";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** The nearest proxy's view of the caller: the right-most X-Forwarded-For entry. */
export function addressFrom(headers: Record<string, string | string[] | undefined> | Headers | undefined): string {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers?.["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const parts = value.split(",").map((p) => p.trim()).filter(Boolean);
  return parts[parts.length - 1] ?? "unknown";
}

export const SIGN_IN_MESSAGES: Record<string, string> = {
  invalid_credentials: "The email or password is not correct.",
  // the same words as a wrong password: a distinct message would confirm that the password was right
  disabled: "The email or password is not correct.",
  throttled: "Too many failed sign-ins. Wait 15 minutes and try again.",
};

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
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
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = user.id;
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
