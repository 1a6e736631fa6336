"use client";
// The burn-down (recharts): clients left to do per day against the straight line to the deadline.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const TOOLTIP_ITEM = { color: "#0f172a" };

type Point = { day: string; remaining: number; ideal: number };

export function BurnDownChart({ points, deadline }: { points: Point[]; deadline: string }) {
  const last = points.at(-1);
  // the ideal line runs on to the deadline even when the campaign has days to go
  const data = last && last.day < deadline ? [...points, { day: deadline, remaining: null, ideal: 0 }] : points;
  return (
    <div
      className="h-64"
      role="img"
      aria-label={`Burn-down: ${points.map((p) => `${p.day} ${p.remaining} left`).join(", ")}; deadline ${deadline}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip itemStyle={TOOLTIP_ITEM} />
          <Legend />
          <Line type="monotone" dataKey="remaining" name="Clients left" stroke="#dc2626" strokeWidth={2} dot connectNulls={false} isAnimationActive={false} />
          <Line type="linear" dataKey="ideal" name="On track" stroke="#64748b" strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
