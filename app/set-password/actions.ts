"use server";
import { headers } from "next/headers";
import { addressFrom } from "@/lib/auth/options";
import { setPasswordWithToken } from "@/lib/users/commands";
import { toActionError, type ActionResult } from "../_lib/actions";

/** Public by design: the one-time token is the credential. */
export async function setPasswordAction(token: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const password = String(formData.get("password") ?? "");
  if (password !== String(formData.get("confirm") ?? "")) return { ok: false, message: "The two passwords differ.", fields: { confirm: "Type the same password twice" } };
  try {
    const { email } = await setPasswordWithToken(token, password, addressFrom(await headers()));
    return { ok: true, message: `Password set for ${email}. You can sign in now.` };
  } catch (error) {
    return toActionError(error);
  }
}
