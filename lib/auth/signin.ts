// Local sign-in: verify the password, throttle repeated failures per account and per address, and
// audit every outcome. next-auth's credentials provider calls this; so can any other entry point.
import { appendAudit } from "../audit/log";
import { db, transaction } from "../db";
import { dummyPasswordHash, verifyPassword } from "./password";

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid_credentials" | "disabled" | "throttled" };

async function isThrottled(email: string, address: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const [byAccount, byAddress] = await Promise.all([
    db().signInAttempt.count({ where: { email, succeeded: false, at: { gt: since } } }),
    db().signInAttempt.count({ where: { address, succeeded: false, at: { gt: since } } }),
  ]);
  return byAccount >= MAX_FAILURES_PER_ACCOUNT || byAddress >= MAX_FAILURES_PER_ADDRESS;
}

async function record(email: string, address: string, result: SignInResult, userId?: string): Promise<void> {
  await transaction(async (tx) => {
    // throttled attempts are not counted again, so a locked account unlocks when the window passes
    if (!(!result.ok && result.reason === "throttled")) {
      await tx.signInAttempt.create({ data: { email, address, succeeded: result.ok } });
    }
    // attempts matter only inside the throttling window: drop this account's and address's older ones
    const expired = new Date(Date.now() - THROTTLE_WINDOW_MS);
    await tx.signInAttempt.deleteMany({ where: { OR: [{ email, at: { lt: expired } }, { address, at: { lt: expired } }] } });
    if (result.ok) await tx.user.update({ where: { id: result.user.id }, data: { lastSignInAt: new Date() } });
    await appendAudit(
      tx,
      result.ok
        ? { type: "user", id: result.user.id, email: result.user.email, address }
        : { type: "anonymous", email, address },
      {
        action: result.ok ? "auth.sign_in" : "auth.sign_in_failed",
        target: { type: "user", id: userId ?? email, name: email },
        details: result.ok ? { method: "password" } : { method: "password", reason: result.reason },
      },
    );
  });
}

export async function signInWithPassword(emailInput: string, password: string, address: string): Promise<SignInResult> {
  const email = emailInput.trim().toLowerCase().slice(0, 320);
  const now = new Date();
  if (await isThrottled(email, address, now)) {
    const result: SignInResult = { ok: false, reason: "throttled" };
    await record(email, address, result);
    return result;
  }
  const user = await db().user.findUnique({ where: { email } });
  // verify against a dummy hash for unknown accounts, so response time does not reveal which exist
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  let result: SignInResult;
  if (!user || !user.passwordHash || !valid) result = { ok: false, reason: "invalid_credentials" };
  else if (user.disabledAt) result = { ok: false, reason: "disabled" };
  else result = { ok: true, user: { id: user.id, email: user.email, name: user.name } };
  await record(email, address, result, user?.id);
  return result;
}

export async function recordSignOut(userId: string): Promise<void> {
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user) return;
  await transaction((tx) =>
    appendAudit(tx, { type: "user", id: user.id, email: user.email }, { action: "auth.sign_out", target: { type: "user", id: user.id, name: user.email } }),
  );
}
