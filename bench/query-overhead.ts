/**
 * Bot overhead for `/ph query` (issue 12 target: p50 <= 5 ms with new query text): the time to the posted result
 * minus the upstream window, measured by bench/e2e.ts over the real app, for new query text every run (PostHog's
 * parser runs each time, now in the worker pool) and for repeated text (its verdict is remembered).
 *
 *   npx tsx bench/query-overhead.ts
 */
import { benchQueryOverhead } from './e2e.js';
import { machine } from './mixed-load.js';

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export interface QueryOverhead {
  fresh: { p50: number; p90: number; totalP50: number };
  repeated: { p50: number; p90: number; totalP50: number };
  runs: number;
  machine: string;
}

export async function benchQueryOverheadBoth(runs = Number(process.env.OVERHEAD_RUNS ?? 100)): Promise<QueryOverhead> {
  const figures = async (freshText: boolean) => {
    const r = await benchQueryOverhead(runs, { freshText });
    return { p50: pct(r.overheadMs, 50), p90: pct(r.overheadMs, 90), totalP50: pct(r.totalMs, 50) };
  };
  const fresh = await figures(true);
  const repeated = await figures(false);
  return { fresh, repeated, runs, machine: machine() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchQueryOverheadBoth();
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`Machine: ${r.machine}`);
  console.log(
    `/ph query bot overhead, new text:      p50 ${ms(r.fresh.p50)}, p90 ${ms(r.fresh.p90)} (to posted result p50 ${ms(r.fresh.totalP50)}; ${r.runs} runs)`,
  );
  console.log(
    `/ph query bot overhead, repeated text: p50 ${ms(r.repeated.p50)}, p90 ${ms(r.repeated.p90)} (to posted result p50 ${ms(r.repeated.totalP50)})`,
  );
  console.log('target: new text p50 <= 5 ms');
  console.log(JSON.stringify(r));
}
