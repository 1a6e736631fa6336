// The Keyshift side of a single sign-on: the provider has authenticated someone; decide whether that
// someone is a Keyshift user. Users are matched by verified email only; an unknown user is refused or
// becomes an auditor, as the `sso.unknownUsers` setting says. Every outcome is audited.
import { appendAudit } from "../audit/log";
import { db, isUniqueViolation, transaction, type Tx } from "../db";
import { getSettings } from "../settings";
import { SYSTEM } from "./actor";

export type SsoIdentity = {
  /** the provider's issuer identifier and its subject for this person (recorded, not matched on) */
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: unknown;
  name: string | undefined;
};

export type SsoRefusal = "email_missing" | "email_unverified" | "unknown_user" | "disabled";

export type SsoSignInResult = { ok: true; user: { id: string; email: string; name: string }; created: boolean } | { ok: false; reason: SsoRefusal };

/** Shown on the sign-in page; the provider already knows who the person is, so the reason can be plain. */
export const SSO_REFUSAL_MESSAGES: Record<SsoRefusal, string> = {
  email_missing: "Your identity provider did not share an email address, so Keyshift cannot tell who you are. Ask your administrator to release the email claim to Keyshift.",
  email_unverified: "Your identity provider has not verified your email address, so Keyshift cannot match it to an account.",
  unknown_user: "You have no Keyshift account. Ask a Keyshift administrator to create one for your email address.",
  disabled: "Your Keyshift account is disabled. Ask a Keyshift administrator.",
};

const MAX_NAME = 120;

async function audit(tx: Tx, identity: SsoIdentity, email: string, address: string, result: SsoSignInResult): Promise<void> {
  const provider = { method: "sso", issuer: identity.issuer, subject: identity.subject };
  await appendAudit(
    tx,
    result.ok ? { type: "user", id: result.user.id, email: result.user.email, address } : { type: "anonymous", email, address },
    {
      action: result.ok ? "auth.sign_in" : "auth.sign_in_failed",
      target: { type: "user", id: result.ok ? result.user.id : email || identity.subject, name: email || identity.subject },
      details: result.ok ? { ...provider, ...(result.created ? { created: true } : {}) } : { ...provider, reason: result.reason },
    },
  );
}

export async function signInWithSso(identity: SsoIdentity, address: string): Promise<SsoSignInResult> {
  const email = (identity.email ?? "").trim().toLowerCase().slice(0, 320);
  // only a verified address identifies a person: an unverified one could be anyone's
  const refusal: SsoRefusal | null = !email ? "email_missing" : identity.emailVerified !== true ? "email_unverified" : null;
  try {
    return await transaction(async (tx) => {
      let result: SsoSignInResult;
      const user = refusal ? null : await tx.user.findUnique({ where: { email } });
      if (refusal) result = { ok: false, reason: refusal };
      else if (user?.disabledAt) result = { ok: false, reason: "disabled" };
      else if (user) result = { ok: true, user: { id: user.id, email: user.email, name: user.name }, created: false };
      else if ((await getSettings(tx))["sso.unknownUsers"] !== "auditor") result = { ok: false, reason: "unknown_user" };
      else {
        const name = identity.name?.trim().slice(0, MAX_NAME) || email;
        const created = await tx.user.create({ data: { email, name, role: "auditor" } });
        await appendAudit(tx, SYSTEM, {
          action: "user.create",
          target: { type: "user", id: created.id, name: email },
          details: { role: "auditor", teams: [], via: "sso", issuer: identity.issuer, subject: identity.subject },
        });
        result = { ok: true, user: { id: created.id, email, name }, created: true };
      }
      if (result.ok) await tx.user.update({ where: { id: result.user.id }, data: { lastSignInAt: new Date() } });
      await audit(tx, identity, email, address, result);
      return result;
    });
  } catch (error) {
    // two first sign-ins of one person at once: the other created the account; match it now
    if (isUniqueViolation(error)) return signInWithSso(identity, address);
    throw error;
  }
}
