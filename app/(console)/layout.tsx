import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { requirePageActor } from "../_lib/session";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  const nav = [
    { href: "/", label: "Overview" },
    { href: "/dashboards", label: "Dashboards" },
    { href: "/campaigns", label: "Campaigns" },
    { href: "/clients", label: "Clients" },
    { href: "/keys", label: "Keys" },
    { href: "/notifications", label: "Notifications" },
    { href: "/debugger", label: "Debugger" },
    { href: "/audit", label: "Audit trail" },
    { href: "/users", label: "Users" },
    { href: "/teams", label: "Teams" },
    { href: "/policy", label: "Policy" },
    { href: "/settings", label: "Settings" },
  ];
  return (
    <div className="min-h-screen">
      <nav className="bg-slate-900 text-slate-100 print:hidden" aria-label="Main">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
          <Link href="/" className="text-lg font-semibold text-white hover:no-underline">
            <span className="text-brand-100">key</span>shift
          </Link>
          <ul className="flex flex-1 flex-wrap gap-1">
            {nav.map((item) => (
              <li key={item.href}>
                <Link href={item.href} className="whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm text-slate-200 hover:bg-slate-800 hover:text-white hover:no-underline">
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="flex items-center gap-4 text-sm">
            <Link href="/account" data-testid="current-user" className="text-slate-300 hover:text-white hover:no-underline">
              {actor.email} · {ROLE_LABELS[actor.role]}
              {actor.role === "auditor" && " (read-only)"}
            </Link>
            <SignOutButton />
          </div>
        </div>
      </nav>
      <main className="mx-auto max-w-7xl px-6 py-8 print:max-w-none print:p-0">{children}</main>
    </div>
  );
}
