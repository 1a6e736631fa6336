"use client";
// Overview charts (recharts). Each bar is a link to the client list filtered to what it counts.
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Datum = { label: string; count: number; href: string };

const AGE_COLORS = ["#10b981", "#84cc16", "#f59e0b", "#f97316", "#dc2626"];
const METHOD_COLORS = ["#64748b", "#94a3b8", "#2f6fde"];

function LinkedBarChart({ data, colors, name }: { data: Datum[]; colors: string[]; name: string }) {
  const router = useRouter();
  return (
    <div className="h-64" role="img" aria-label={`${name}: ${data.map((d) => `${d.label} ${d.count}`).join(", ")}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={40} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          <Bar dataKey="count" name={name} cursor="pointer" onClick={(entry) => router.push((entry as unknown as { payload: Datum }).payload.href)} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.label} fill={colors[i % colors.length]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function SecretAgeChart({ data }: { data: Datum[] }) {
  return <LinkedBarChart data={data} colors={AGE_COLORS} name="Active secrets" />;
}

export function MethodChart({ data }: { data: Datum[] }) {
  return <LinkedBarChart data={data} colors={METHOD_COLORS} name="Clients" />;
}
