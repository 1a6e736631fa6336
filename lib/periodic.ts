// Background work in a server process (the jwks_uri refresher, event retention, campaign snapshots,
// notifications): a job run every interval, one run at a time in this process so a slow run never
// stacks another, on unref'd timers that never keep a process alive. A failure is logged by its name and
// message (not the whole error object, whose other fields may carry connection details) and the job
// runs again at the next tick. Instances started together spread their runs (jitter) instead of all
// querying at the same moment; across instances each job relies on the database (leases, conditional
// updates, upserts), never on a timer.
import { log } from "./log";

export type PeriodicJob = {
  /** what the log calls it */
  name: string;
  intervalMs: number;
  /** the first run after start, once the server is up */
  firstDelayMs: number;
  /** at most this much is added at random to the interval and to the first delay */
  jitterMs: number;
  run: () => Promise<void>;
};

/** Starts the job in this process; returns a function that stops it. */
export function startPeriodic(job: PeriodicJob): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await job.run();
    } catch (error) {
      log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, `${job.name} failed; it runs again at the next tick`);
    } finally {
      running = false;
    }
  };
  const jitter = () => Math.floor(Math.random() * job.jitterMs);
  const timer = setInterval(tick, job.intervalMs + jitter());
  timer.unref();
  const first = setTimeout(tick, job.firstDelayMs + jitter());
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
