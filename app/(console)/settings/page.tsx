import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui";
import { SettingsForm } from "@/components/settings-form";
import { can } from "@/lib/auth/guard";
import { getSettings, SETTING_KEYS, SETTINGS } from "@/lib/settings";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requirePageActor("settings.read");
  const settings = await getSettings();
  const items = SETTING_KEYS.map((key) => {
    const setting = SETTINGS[key];
    return { key, label: setting.label, help: setting.help, value: settings[key], options: "options" in setting ? [...setting.options] : undefined, kind: "kind" in setting ? setting.kind : undefined };
  });
  const editable = can(actor, "settings.update");
  return (
    <>
      <PageHeader title="Settings" description={editable ? "Organisation-wide defaults for secrets and sign-in. Changes are audited." : "Only administrators change settings."} />
      <Card>
        <SettingsForm items={items} editable={editable} />
      </Card>
    </>
  );
}
