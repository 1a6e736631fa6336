"use server";
// Server actions for campaigns. Each resolves the actor itself (runAction) and calls one domain command,
// which checks the permission (campaign.manage; operators only on campaigns they own or created).
import { revalidatePath } from "next/cache";
import { addCampaignClients, closeCampaign, createCampaign, previewCohort, removeCampaignClient, updateCampaign, type CohortPreview } from "@/lib/campaigns/commands";
import { CAMPAIGN_KINDS, type CampaignKind } from "@/lib/campaigns/stages";
import { formObject, formText, runAction, type ActionResult } from "../../_lib/actions";

/** The cohort a campaign of this kind would take from the filters, shown live while the form is filled. */
export async function previewCohortAction(filters: Record<string, string>, kind: string, rotateOlderThanDays: string): Promise<ActionResult<CohortPreview>> {
  const days = Number(rotateOlderThanDays);
  const validKind: CampaignKind = (CAMPAIGN_KINDS as readonly string[]).includes(kind) ? (kind as CampaignKind) : "migration";
  return runAction((actor) => previewCohort(actor, validKind, filters, Number.isInteger(days) && days > 0 && days <= 3650 ? days : undefined));
}

export async function createCampaignAction(filters: Record<string, string>, _prev: unknown, formData: FormData): Promise<ActionResult<{ id: string }>> {
  const result = await runAction(async (actor) => {
    const { campaign } = await createCampaign(actor, formObject(formData), filters);
    return { id: campaign.id };
  });
  // the form opens the new campaign's page
  if (result.ok) revalidatePath("/campaigns");
  return result;
}

export async function updateCampaignAction(campaignId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => updateCampaign(actor, campaignId, formObject(formData)), "Campaign saved.");
  if (result.ok) revalidatePath(`/campaigns/${campaignId}`);
  return result;
}

export async function addClientsAction(campaignId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction(
    (actor) => addCampaignClients(actor, campaignId, formText(formData, "clientIds")),
    (r) => `${r.added.length} client${r.added.length === 1 ? "" : "s"} added${r.already.length ? `; already in the campaign: ${r.already.join(", ")}` : ""}.`,
  );
  if (result.ok) revalidatePath(`/campaigns/${campaignId}`);
  return result;
}

export async function removeClientAction(campaignId: string, clientId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => removeCampaignClient(actor, campaignId, clientId, formText(formData, "reason")), `${clientId} removed from the campaign.`);
  if (result.ok) revalidatePath(`/campaigns/${campaignId}`);
  return result;
}

export async function closeCampaignAction(campaignId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => closeCampaign(actor, campaignId, formText(formData, "reason")), "Campaign closed.");
  if (result.ok) revalidatePath(`/campaigns/${campaignId}`);
  return result;
}
