"use client";
// One environment's secrets by age (recharts), with the policy's maximum age as a vertical line. Each bar
// opens the client list it counts; the same numbers are in the table beside it.
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Bucket = { label: string; minDays: number; maxDays: number | null; count: number; href: string };

const AGE_COLORS = ["#10b981", "#84cc16", "#f59e0b", "#f97316", "#dc2626"];

type Datum = Bucket & { tick: string };

/** A short axis label ("31–90", "> 365"): three charts side by side leave little room per bar. */
const tick = (b: Bucket) => (b.maxDays === null ? `> ${b.minDays - 1}` : `${b.minDays}–${b.maxDays}`);

/** Where the maximum falls on the bucket axis: in which bucket, and at its start, middle or end. */
function policyLine(data: Datum[], maxAgeDays: number) {
  const bucket = data.find((b) => b.minDays <= maxAgeDays && (b.maxDays === null || maxAgeDays <= b.maxDays));
  if (!bucket) return null;
  const position = maxAgeDays === bucket.maxDays ? "end" : maxAgeDays === bucket.minDays ? "start" : "middle";
  return { x: bucket.tick, position } as const;
}

export function SecretAgeHistogram({ environment, buckets, maxAgeDays }: { environment: string; buckets: Bucket[]; maxAgeDays: number | null }) {
  const router = useRouter();
  const data: Datum[] = buckets.map((b) => ({ ...b, tick: tick(b) }));
  const line = maxAgeDays ? policyLine(data, maxAgeDays) : null;
  const summary = buckets.map((b) => `${b.label} ${b.count}`).join(", ");
  return (
    <div className="h-56" role="img" aria-label={`${environment} secrets by age: ${summary}; ${maxAgeDays ? `policy maximum ${maxAgeDays} days` : "no maximum age"}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 20, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="tick" tick={{ fontSize: 11 }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={40} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} labelFormatter={(_, payload) => (payload?.[0]?.payload as Datum | undefined)?.label ?? ""} />
          <Bar dataKey="count" name="Secrets" cursor="pointer" onClick={(entry) => router.push((entry as unknown as { payload: Datum }).payload.href)} isAnimationActive={false}>
            {buckets.map((b, i) => (
              <Cell key={b.label} fill={AGE_COLORS[i % AGE_COLORS.length]} />
            ))}
          </Bar>
          {line && (
            <ReferenceLine
              x={line.x}
              position={line.position}
              stroke="#b91c1c"
              strokeDasharray="6 3"
              strokeWidth={2}
              label={{ value: `max ${maxAgeDays} d`, position: "top", fill: "#b91c1c", fontSize: 11 }}
            />
          )}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
