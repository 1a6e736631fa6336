"use server";
// Server actions of the settings page. Each resolves the actor itself (runAction) and calls one domain
// function, which checks the permission.
import { revalidatePath } from "next/cache";
import { rotateServerKeys } from "@/lib/oauth/server-keys";
import { runAction, type ActionResult } from "../../_lib/actions";

export async function rotateServerKeysAction(): Promise<ActionResult<{ current: string; next: string; previous: string }>> {
  const result = await runAction((actor) => rotateServerKeys(actor), (keys) => `Signing keys rotated: ${keys.current} now signs new tokens.`);
  if (result.ok) revalidatePath("/settings");
  return result;
}
