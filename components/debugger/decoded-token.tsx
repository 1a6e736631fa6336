import { Card } from "@/components/ui";

const TIME_CLAIMS = ["exp", "iat", "nbf"] as const;

/** "in 45 s", "3 min ago": a time claim against the moment the assertion was checked. */
export function relativeSeconds(at: number, now: number): string {
  const delta = Math.round(at - now);
  const size = Math.abs(delta);
  const text = size < 120 ? `${size} s` : size < 7_200 ? `${Math.round(size / 60)} min` : size < 172_800 ? `${Math.round(size / 3_600)} h` : `${Math.round(size / 86_400)} d`;
  if (delta === 0) return "now";
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

export function DecodedToken({ header, claims, checkedAt }: { header: Record<string, unknown>; claims: Record<string, unknown>; checkedAt: string }) {
  const now = new Date(checkedAt).getTime() / 1000;
  const times = TIME_CLAIMS.flatMap((name) => {
    const value = claims[name];
    return typeof value === "number" && Number.isFinite(value) && Math.abs(value) < 1e11 ? [{ name, value }] : [];
  });
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title="Header">
        <pre data-testid="decoded-header" className="overflow-x-auto whitespace-pre-wrap break-all font-mono text-xs">{JSON.stringify(header, null, 2)}</pre>
      </Card>
      <Card title="Claims">
        <pre data-testid="decoded-claims" className="overflow-x-auto whitespace-pre-wrap break-all font-mono text-xs">{JSON.stringify(claims, null, 2)}</pre>
        {times.length > 0 && (
          <dl data-testid="time-claims" className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 border-t border-slate-100 pt-3 text-xs">
            {times.map((t) => (
              <div key={t.name} className="contents">
                <dt className="font-mono text-slate-600">{t.name}</dt>
                <dd>
                  {new Date(t.value * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC ({relativeSeconds(t.value, now)})
                </dd>
              </div>
            ))}
          </dl>
        )}
      </Card>
    </div>
  );
}
