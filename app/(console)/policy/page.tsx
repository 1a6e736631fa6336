import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui";
import { PolicyForm, type PolicyItem } from "@/components/policy/policy-form";
import { can } from "@/lib/auth/guard";
import { ENVIRONMENTS } from "@/lib/clients/schema";
import { breachCounts } from "@/lib/policy/preview";
import { getSettings, SETTING_KEYS, SETTINGS } from "@/lib/settings";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage() {
  const actor = await requirePageActor("settings.read");
  const [settings, breaches] = await Promise.all([getSettings(), breachCounts(actor)]);
  const items: Record<string, PolicyItem> = {};
  for (const key of SETTING_KEYS) {
    const setting = SETTINGS[key];
    if ((setting as { group?: string }).group !== "policy") continue;
    const value = settings[key];
    items[key] = {
      key,
      label: setting.label,
      help: setting.help,
      value: Array.isArray(value) ? value.map(String) : String(value),
      options: "options" in setting ? [...setting.options] : undefined,
      kind: "kind" in setting ? setting.kind : undefined,
    };
  }
  const editable = can(actor, "settings.update");
  return (
    <>
      <PageHeader
        title="Organisation policy"
        description={editable ? "What every client must meet. Preview a change to see whom it affects before you save it; every change is audited." : "What every client must meet. Only administrators change it."}
      />
      <Card title="Today" className="mb-6">
        <ul className="space-y-1 text-sm" data-testid="policy-breaches">
          {breaches.map((b) => (
            <li key={b.environment} data-environment={b.environment}>
              <span className="font-medium">{b.environment}</span>: {b.oldSecrets} client{b.oldSecrets === 1 ? "" : "s"} with a secret older than the maximum age
              {b.secretsAfterRequired > 0 && `, ${b.secretsAfterRequired} still on a secret although private_key_jwt is required`}.{" "}
              <Link href={`/clients?environment=${b.environment}`}>{b.environment} clients →</Link>
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <PolicyForm items={items} environments={ENVIRONMENTS} editable={editable} />
      </Card>
    </>
  );
}
