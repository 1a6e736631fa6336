"use server";
// The assertion debugger's one action: a POST, never a GET query string, because URLs end up in logs
// and the pasted assertion works at the token endpoint until its exp. debugAssertion checks client.read.
import { debugAssertion, type AssertionDebug } from "@/lib/oauth/debugger";
import { runAction, type ActionResult } from "../../_lib/actions";

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

export async function debugAssertionAction(_prev: unknown, formData: FormData): Promise<ActionResult<AssertionDebug>> {
  return runAction((actor) => debugAssertion(actor, { assertion: text(formData, "assertion"), clientId: text(formData, "client_id") }));
}
