"use server";
import { revalidatePath } from "next/cache";
import { createTeam, deleteTeam, updateTeam } from "@/lib/teams/commands";
import { createUser, issuePasswordLink, setUserDisabled, updateUser } from "@/lib/users/commands";
import { updateSettings } from "@/lib/settings";
import { formObject, runAction, type ActionResult } from "../../_lib/actions";

export type PasswordLink = { email?: string; path: string; expiresAt: string };

export async function createUserAction(_prev: unknown, formData: FormData): Promise<ActionResult<PasswordLink>> {
  const input = formObject(formData, ["teamIds"]);
  const result = await runAction(async (actor) => {
    const created = await createUser(actor, input);
    return { email: String(input.email ?? "").trim().toLowerCase(), path: `/set-password/${created.token}`, expiresAt: created.expiresAt.toISOString() };
  }, "User created. Hand over the one-time link below.");
  if (result.ok) revalidatePath("/users");
  return result;
}

export async function updateUserAction(userId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => updateUser(actor, userId, formObject(formData, ["teamIds"])), "Changes saved.");
  if (result.ok) revalidatePath(`/users/${userId}`);
  return result;
}

export async function setUserDisabledAction(userId: string, disabled: boolean): Promise<ActionResult> {
  const result = await runAction((actor) => setUserDisabled(actor, userId, disabled), disabled ? "User disabled." : "User enabled.");
  if (result.ok) revalidatePath(`/users/${userId}`);
  return result;
}

export async function passwordLinkAction(userId: string): Promise<ActionResult<PasswordLink>> {
  return runAction(async (actor) => {
    const link = await issuePasswordLink(actor, userId);
    return { path: `/set-password/${link.token}`, expiresAt: link.expiresAt.toISOString() };
  }, "New one-time link issued; earlier unused links no longer work.");
}

export async function createTeamAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => createTeam(actor, formObject(formData)), "Team created.");
  if (result.ok) revalidatePath("/teams");
  return result;
}

export async function updateTeamAction(teamId: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => updateTeam(actor, teamId, formObject(formData)), "Team saved.");
  if (result.ok) revalidatePath("/teams");
  return result;
}

export async function deleteTeamAction(teamId: string): Promise<ActionResult> {
  const result = await runAction((actor) => deleteTeam(actor, teamId), "Team deleted.");
  if (result.ok) revalidatePath("/teams");
  return result;
}

export async function updateSettingsAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const result = await runAction((actor) => updateSettings(actor, formObject(formData)), "Settings saved.");
  if (result.ok) revalidatePath("/settings");
  return result;
}
