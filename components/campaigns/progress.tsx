// A campaign's progress: clients done out of the cohort, as a labelled bar (readable without colour).
export function ProgressBar({ done, total }: { done: number; total: number }) {
  const percent = total ? Math.floor((done / total) * 100) : 0;
  return (
    <div className="flex items-center gap-2" data-testid="progress" data-done={done} data-total={total}>
      <div className="h-2 w-full min-w-[6rem] overflow-hidden rounded-full bg-slate-200" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-label={`${done} of ${total} clients done`}>
        <div className="h-full rounded-full bg-emerald-500" style={{ width: `${percent}%` }} />
      </div>
      <span className="whitespace-nowrap text-xs tabular-nums text-slate-700">
        {done.toLocaleString("en")} / {total.toLocaleString("en")} ({percent}%)
      </span>
    </div>
  );
}
