"use server";
// Server actions for a client's public keys and jwks_uri. Each resolves the actor itself (runAction)
// and calls one domain function, which checks key.manage against the client's owner team.
import { revalidatePath } from "next/cache";
import { linkJwksUri, refreshJwksNow, unlinkJwksUri } from "@/lib/keys/jwks-uri";
import { addKeys, keepKey, retireKey, type KeyMaterial } from "@/lib/keys/lifecycle";
import { invalid } from "@/lib/errors";
import { formDate, formText, runAction, type ActionResult } from "../../_lib/actions";

export type RegisteredKeys = { keys: { kid: string; thumbprint: string; kidAssigned: boolean; expiresAt: string | null }[]; retiring: { kid: string; until: string }[] };


function materialOf(formData: FormData): KeyMaterial {
  if (formText(formData, "kind") === "pem") return { kind: "pem", text: formText(formData, "pem"), kid: formText(formData, "kid").trim() || undefined, alg: formText(formData, "alg") || undefined };
  return { kind: "jwks", text: formText(formData, "jwks") };
}

export async function addKeysAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult<RegisteredKeys>> {
  const result = await runAction(
    async (actor) => {
      const added = await addKeys(actor, clientDbId, materialOf(formData), { notBefore: formDate(formData, "not_before"), retireCurrent: formData.get("retire_current") === "on" });
      return {
        keys: added.keys.map((k) => ({ kid: k.kid, thumbprint: k.thumbprint, kidAssigned: k.kidAssigned, expiresAt: k.expiresAt?.toISOString() ?? null })),
        retiring: added.retiring.map((r) => ({ kid: r.kid, until: r.until.toISOString() })),
      };
    },
    (data) => (data.keys.length === 1 ? `Registered key ${data.keys[0].kid}.` : `Registered ${data.keys.length} keys.`) + (data.retiring.length ? ` ${data.retiring.length} current key${data.retiring.length > 1 ? "s are" : " is"} now retiring.` : ""),
  );
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function retireKeyAction(clientDbId: string, keyId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const now = formText(formData, "mode") === "now";
  const result = await runAction(
    (actor) =>
      retireKey(actor, clientDbId, keyId, now ? { mode: "now", reason: formText(formData, "reason") } : { mode: "scheduled", until: formDate(formData, "until") }, formData.get("confirm_recent_use") === "on"),
    now ? "Key retired: it no longer authenticates the client." : "Key retiring: it stays accepted until the date you set.",
  );
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function keepKeyAction(clientDbId: string, keyId: string): Promise<ActionResult> {
  const result = await runAction((actor) => keepKey(actor, clientDbId, keyId), "Retirement cancelled: the key is active.");
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function linkJwksUriAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult<{ kids: string[]; ignored: number }>> {
  const result = await runAction(
    async (actor) => {
      const outcome = await linkJwksUri(actor, clientDbId, formText(formData, "jwks_uri"));
      return { kids: outcome.added, ignored: outcome.ignored.length };
    },
    (data) => `Linked: ${data.kids.length} signing key${data.kids.length === 1 ? "" : "s"} found${data.ignored ? `, ${data.ignored} ignored` : ""}.`,
  );
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function unlinkJwksUriAction(clientDbId: string): Promise<ActionResult> {
  const result = await runAction((actor) => unlinkJwksUri(actor, clientDbId), "jwks_uri unlinked; its keys are retired.");
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function refreshJwksUriAction(clientDbId: string): Promise<ActionResult> {
  const result = await runAction(async (actor) => {
    const outcome = await refreshJwksNow(actor, clientDbId);
    if (outcome.status === "error") throw invalid(`The fetch failed: ${outcome.message}`);
    if (outcome.status === "skipped") throw invalid(outcome.why === "busy" ? "Another fetch of this jwks_uri is running; try again in a moment." : "The jwks_uri was fetched moments ago; try again in a minute.");
    return outcome;
  }, "Fetched: the keys are up to date.");
  // a failed fetch is recorded too (failures, health, history): the page changes either way
  revalidatePath(`/clients/${clientDbId}`);
  return result;
}
