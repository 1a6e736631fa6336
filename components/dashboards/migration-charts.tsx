"use client";
// Migration chart (recharts): clients per state; each bar opens the client list it counts.
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// the tooltip writes item names in the series colour by default, too pale on white to read
const TOOLTIP_ITEM = { color: "#0f172a" };

type Datum = { label: string; count: number; href: string };

const STATE_COLORS = ["#94a3b8", "#f59e0b", "#6366f1", "#10b981", "#dc2626"];

export function MigrationStateChart({ data }: { data: Datum[] }) {
  const router = useRouter();
  return (
    <div className="h-64" role="img" aria-label={`Clients per migration state: ${data.map((d) => `${d.label} ${d.count}`).join(", ")}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} itemStyle={TOOLTIP_ITEM} />
          <Bar dataKey="count" name="Clients" cursor="pointer" onClick={(entry) => router.push((entry as unknown as { payload: Datum }).payload.href)} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.label} fill={STATE_COLORS[i % STATE_COLORS.length]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
