import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Dashboards" };

const DASHBOARDS = [
  { href: "/dashboards/secrets", title: "Secret age", description: "How old the shared secrets are, per team and environment, against the policy's maximum age." },
  { href: "/dashboards/rotation", title: "Rotation health", description: "Secrets and keys due for rotation, overlaps still open, and rotations that stalled." },
  { href: "/dashboards/traffic", title: "Traffic", description: "Authentication method mix per day, failures by reason, and clients still sending the legacy audience." },
  { href: "/dashboards/migration", title: "Migration", description: "Clients per migration state, per owner team and environment, with overdue dual windows." },
] as const;

export default async function DashboardsPage() {
  await requirePageActor("client.read");
  return (
    <>
      <PageHeader title="Dashboards" description="Every figure opens the client list it counts; every table exports as CSV." />
      <ul className="grid gap-4 md:grid-cols-2">
        {DASHBOARDS.map((d) => (
          <li key={d.href}>
            <Link href={d.href} className="block h-full rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:no-underline hover:ring-brand-500">
              <h2 className="text-base font-semibold text-slate-900">{d.title}</h2>
              <p className="mt-1 text-sm text-slate-600">{d.description}</p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
