"use server";
// Server actions for the client registry. Each resolves the actor itself (runAction) and calls one
// domain function, which checks the permission against the client's owner team.
import { revalidatePath } from "next/cache";
import { createClient, deleteClient, setClientEnabled, updateClient } from "@/lib/clients/commands";
import { issueSecret, revokeSecret, rotateSecret } from "@/lib/secrets/commands";
import { formObject, runAction, type ActionResult } from "../../_lib/actions";

export type RevealedSecret = { clientId: string; clientDbId: string; secret: string; hint: string; expiresAt: string; overlapEndsAt?: string };
/** A private_key_jwt client is created without a secret. */
export type CreatedClientResult = RevealedSecret | { clientId: string; clientDbId: string; secret: null };

const ARRAYS = ["grantTypes"] as const;

export async function createClientAction(_prev: unknown, formData: FormData): Promise<ActionResult<CreatedClientResult>> {
  const result = await runAction(async (actor): Promise<CreatedClientResult> => {
    const { keys, jwksUri, ...input } = formObject(formData, ARRAYS);
    const keyText = typeof keys === "string" ? keys : "";
    // a JWKS is JSON; anything else pasted is read as a PEM key or certificate
    const material = keyText.trim() ? (keyText.trim().startsWith("{") ? { kind: "jwks" as const, text: keyText } : { kind: "pem" as const, text: keyText }) : undefined;
    const created = await createClient(actor, input, { material, jwksUri: typeof jwksUri === "string" ? jwksUri : undefined });
    if (!created.secret) return { clientId: created.clientId, clientDbId: created.id, secret: null };
    return { clientId: created.clientId, clientDbId: created.id, secret: created.secret.secret, hint: created.secret.hint, expiresAt: created.secret.expiresAt.toISOString() };
  }, "Client created.");
  if (result.ok) revalidatePath("/clients");
  return result;
}

export async function updateClientAction(clientDbId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => updateClient(actor, clientDbId, formObject(formData, ARRAYS)), "Changes saved.");
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function setClientEnabledAction(clientDbId: string, enabled: boolean): Promise<ActionResult> {
  const result = await runAction((actor) => setClientEnabled(actor, clientDbId, enabled), enabled ? "Client enabled." : "Client disabled.");
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function deleteClientAction(clientDbId: string, confirmation: string): Promise<ActionResult> {
  const result = await runAction((actor) => deleteClient(actor, clientDbId, confirmation), "Client deleted; its secrets are revoked.");
  if (result.ok) revalidatePath("/clients");
  return result;
}

export async function issueSecretAction(clientDbId: string): Promise<ActionResult<RevealedSecret>> {
  const result = await runAction(async (actor) => {
    const issued = await issueSecret(actor, clientDbId);
    return { clientId: "", clientDbId, secret: issued.secret, hint: issued.hint, expiresAt: issued.expiresAt.toISOString() };
  }, "New secret issued.");
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function rotateSecretAction(clientDbId: string): Promise<ActionResult<RevealedSecret>> {
  const result = await runAction(async (actor) => {
    const issued = await rotateSecret(actor, clientDbId);
    return { clientId: "", clientDbId, secret: issued.secret, hint: issued.hint, expiresAt: issued.expiresAt.toISOString(), overlapEndsAt: issued.overlapEndsAt.toISOString() };
  }, "Secret rotated.");
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}

export async function revokeSecretAction(clientDbId: string, secretId: string): Promise<ActionResult> {
  const result = await runAction((actor) => revokeSecret(actor, clientDbId, secretId), "Secret revoked.");
  if (result.ok) revalidatePath(`/clients/${clientDbId}`);
  return result;
}
