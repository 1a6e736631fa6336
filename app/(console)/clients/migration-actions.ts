"use server";
// Server actions for the guided migration on the client page. Each resolves the actor itself
// (runAction) and calls one domain step, which checks the permission, the state and the evidence.
import { revalidatePath } from "next/cache";
import { invalid } from "@/lib/errors";
import { changeDualWindow, finaliseMigration, issueBreakGlassSecret, openDualWindow, rollBackDualWindow } from "@/lib/migration/steps";
import { formDate, formText, runAction, type ActionResult } from "../../_lib/actions";

export type BreakGlassRevealed = { secret: string; hint: string; expiresAt: string; method: string };


async function step<T>(clientDbId: string, fn: Parameters<typeof runAction<T>>[0], message: string): Promise<ActionResult<T>> {
  const result = await runAction(fn, message);
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function openDualWindowAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  return step(clientDbId, (actor) => openDualWindow(actor, clientDbId, { until: formDate(formData, "until") }), "Dual window open: the secret and the key are both accepted.");
}

export async function changeDualWindowAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  return step(
    clientDbId,
    async (actor) => {
      const until = formDate(formData, "until");
      if (!until) throw invalid("Choose the new end date.", { until: "Required" });
      return changeDualWindow(actor, clientDbId, until);
    },
    "End date changed.",
  );
}

export async function rollBackAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  return step(clientDbId, (actor) => rollBackDualWindow(actor, clientDbId, formText(formData, "reason")), "Rolled back: only the secret is accepted; the keys stay registered.");
}

export async function finaliseAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  return step(clientDbId, (actor) => finaliseMigration(actor, clientDbId, { reason: formText(formData, "reason") }), "Finalised: only assertions are accepted; the secrets are revoked.");
}

export async function breakGlassAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult<BreakGlassRevealed>> {
  return step(
    clientDbId,
    async (actor) => {
      const issued = await issueBreakGlassSecret(actor, clientDbId, formText(formData, "reason"));
      return { secret: issued.secret, hint: issued.hint, expiresAt: issued.expiresAt.toISOString(), method: issued.method };
    },
    "Break-glass secret issued.",
  );
}
