"use server";
import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/tokens/commands";
import { formObject, runAction, type ActionResult } from "../../_lib/actions";

export type NewApiToken = { token: string; expiresAt: string };

export async function createApiTokenAction(_prev: unknown, formData: FormData): Promise<ActionResult<NewApiToken>> {
  const result = await runAction(async (actor) => {
    const created = await createApiToken(actor, actor.id, formObject(formData));
    return { token: created.token, expiresAt: created.expiresAt.toISOString() };
  }, "API token created.");
  if (result.ok) revalidatePath("/account");
  return result;
}

export async function revokeApiTokenAction(tokenId: string): Promise<ActionResult> {
  const result = await runAction((actor) => revokeApiToken(actor, tokenId), "API token revoked.");
  if (result.ok) revalidatePath("/account");
  return result;
}
