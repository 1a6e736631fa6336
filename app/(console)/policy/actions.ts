"use server";
// The policy page's one action: preview the effect of the submitted policy, or save it (audited as a
// settings change). Both resolve the actor themselves; the domain checks the permission.
import { revalidatePath } from "next/cache";
import { previewPolicy, type PolicyEffect } from "@/lib/policy/preview";
import { SETTINGS, SETTING_KEYS, updateSettings } from "@/lib/settings";
import { formObject, runAction, type ActionResult } from "../../_lib/actions";

// the policy group only: other groups (notifications) have their own page
const POLICY_KEYS = SETTING_KEYS.filter((key) => (SETTINGS[key] as { group?: string }).group === "policy");
const MULTI = POLICY_KEYS.filter((key) => "kind" in SETTINGS[key] && (SETTINGS[key] as { kind?: string }).kind === "multi");

export type PolicyResult = { effects: PolicyEffect[]; saved: boolean };

export async function policyAction(_prev: unknown, formData: FormData): Promise<ActionResult<PolicyResult>> {
  const { intent, ...input } = formObject(formData, MULTI);
  // only the policy's own fields: this form cannot change other settings
  const fields = Object.fromEntries(Object.entries(input).filter(([key]) => (POLICY_KEYS as string[]).includes(key)));
  const save = intent === "save";
  const result = await runAction(
    async (actor) => {
      const effects = await previewPolicy(actor, fields);
      if (save) await updateSettings(actor, fields);
      return { effects, saved: save };
    },
    (data) => (data.saved ? "Policy saved." : data.effects.length ? "Preview only: nothing was saved." : "These values change nothing."),
  );
  if (result.ok && save) revalidatePath("/policy");
  return result;
}
