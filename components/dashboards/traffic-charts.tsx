"use client";
// Traffic charts (recharts). The tables beside them carry every figure as text; a chart is a picture
// of the same numbers, labelled as one for assistive technology.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { METHOD_LABELS } from "@/components/clients/labels";

const METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;
const METHOD_COLORS: Record<(typeof METHODS)[number], string> = { client_secret_basic: "#475569", client_secret_post: "#d97706", private_key_jwt: "#2f6fde" };

// the tooltip writes item names in the series colour by default, too pale on white to read
const TOOLTIP_ITEM = { color: "#0f172a" };

type MethodDay = { day: string } & Record<(typeof METHODS)[number], number>;

/** Successful authentications per day, stacked by method. */
export function MethodMixChart({ data }: { data: MethodDay[] }) {
  return (
    <div className="h-72" role="img" aria-label={`Successful authentications per day by method, ${data[0]?.day} to ${data.at(-1)?.day}; the table lists every day's figures.`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} tickFormatter={(day: string) => day.slice(5)} interval={13} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} itemStyle={TOOLTIP_ITEM} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value) => <span className="text-slate-700">{value}</span>} />
          {METHODS.map((m) => (
            <Bar key={m} dataKey={m} name={METHOD_LABELS[m]} stackId="methods" fill={METHOD_COLORS[m]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Failed authentications per reason, most first (the ten largest). */
export function FailureReasonChart({ data }: { data: { reason: string; count: number }[] }) {
  const top = data.slice(0, 10);
  return (
    <div className="h-72" role="img" aria-label={`Failed authentications by reason: ${top.map((d) => `${d.reason} ${d.count}`).join(", ")}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={top} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="reason" tick={{ fontSize: 11 }} width={170} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} itemStyle={TOOLTIP_ITEM} />
          <Bar dataKey="count" name="Failures" fill="#dc2626" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
