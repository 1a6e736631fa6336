import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui";
import { SettingsForm } from "@/components/settings-form";
import { ServerKeysPanel } from "@/components/settings/server-keys-panel";
import { can } from "@/lib/auth/guard";
import { listServerKeys } from "@/lib/oauth/server-keys";
import { getSettings, SETTING_KEYS, SETTINGS } from "@/lib/settings";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requirePageActor("settings.read");
  const [settings, serverKeys] = await Promise.all([getSettings(), listServerKeys(actor)]);
  // the organisation policy has its own page (/policy)
  const items = SETTING_KEYS.filter((key) => !("group" in SETTINGS[key])).map((key) => {
    const setting = SETTINGS[key];
    return { key, label: setting.label, help: setting.help, value: String(settings[key]), options: "options" in setting ? [...setting.options] : undefined, kind: "kind" in setting && setting.kind === "text" ? ("text" as const) : undefined };
  });
  const editable = can(actor, "settings.update");
  const keys = serverKeys.map((k) => ({
    id: k.id,
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    createdAt: k.createdAt.toISOString(),
    activatedAt: k.activatedAt?.toISOString() ?? null,
    publishUntil: k.publishUntil?.toISOString() ?? null,
    retiredAt: k.retiredAt?.toISOString() ?? null,
  }));
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          editable
            ? "Organisation-wide defaults for secrets, keys, access tokens and sign-in; the rules every client must meet are on the Policy page. Changes are audited."
            : "Only administrators change settings."
        }
      />
      <Card>
        <SettingsForm items={items} editable={editable} />
      </Card>
      <Card title="Signing keys" className="mt-6" id="signing-keys">
        <ServerKeysPanel
          keys={keys}
          canRotate={can(actor, "server_key.rotate")}
          tokenLifetimeSeconds={settings["token.lifetimeSeconds"]}
          clockSkewSeconds={settings["assertion.clockSkewSeconds"]}
        />
      </Card>
    </>
  );
}
