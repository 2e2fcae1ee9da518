/**
 * `npm run bench`: the figures issue 3 asks for, printed as a table with the machine they ran on. A script, not a
 * test: nothing here asserts, the numbers are for people.
 *
 *   (a) emulator: SELECT event, count() FROM events GROUP BY event over 1M events (target <= 200 ms)
 *   (b) a 50,000-row result rendered into the message and its CSV (target <= 300 ms, RSS <= 200 MB)
 *   (c) /ph query end to end: the bot's own share of the time to the posted result (target p50 <= 5 ms), for a
 *       repeated query and for new query text every run (PostHog's WASM parser then runs each time)
 *   (d) the sandbox (`npm start` with no credentials) running the README's commands (target RSS < 500 MB, issue 15)
 *   (f) fan-out: 3 replicas on one PostgreSQL, digests due at once, Maton and Slack limits enforced (bench/fanout.ts)
 *   (m) memory: the bot's RSS after start and after 10,000 mixed commands (bench/memory.ts)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchQueryOverhead } from './e2e.js';
import { benchFanout } from './fanout.js';
import { benchMemory } from './memory.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const ms = (n: number | undefined) => (n === undefined ? 'n/a' : `${n.toFixed(n < 10 ? 2 : 1)} ms`);
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

interface Row {
  benchmark: string;
  figure: string;
  target: string;
  detail: string;
}

const rows: Row[] = [];

async function emulatorGroupBy(): Promise<void> {
  const path = here('../src/emulator/hogql/bench.ts');
  if (!existsSync(path)) {
    rows.push({
      benchmark: '(a) emulator GROUP BY, 1M events',
      figure: 'missing',
      target: '<= 200 ms',
      detail: 'src/emulator/hogql/bench.ts does not exist yet',
    });
    return;
  }
  const { benchEmulatorGroupBy } = (await import('../src/emulator/hogql/bench.js')) as typeof import('../src/emulator/hogql/bench.js');
  const r = await benchEmulatorGroupBy(1_000_000);
  rows.push({
    benchmark: '(a) emulator GROUP BY, 1M events',
    figure: `${ms(r.ms)} (best of 5 warm)`,
    target: '<= 200 ms',
    detail: `first run ${ms(r.firstQueryMs)}; ${r.groups} groups; generate ${ms(r.generateMs)}, load into DuckDB ${ms(r.loadMs)}`,
  });
}

function renderFiftyThousand(): void {
  // Its own process, so the RSS is the rendering's and not the 1M-event DuckDB's.
  const child = spawnSync(process.execPath, ['--import', 'tsx', here('./render-50k.ts')], { encoding: 'utf8' });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    rows.push({
      benchmark: '(b) 50,000 rows -> message + CSV',
      figure: 'failed',
      target: '<= 300 ms, RSS <= 200 MB',
      detail: child.stderr.split('\n')[0] ?? '',
    });
    return;
  }
  const r = JSON.parse(line) as {
    firstMs: number;
    medianMs: number;
    bestMs: number;
    csvBytes: number;
    tableRows: number;
    rssBeforeMb: number;
    peakRssMb: number;
  };
  rows.push({
    benchmark: '(b) 50,000 rows -> message + CSV',
    figure: `${ms(r.firstMs)} cold, ${ms(r.medianMs)} median; peak RSS ${r.peakRssMb.toFixed(0)} MB`,
    target: '<= 300 ms, RSS <= 200 MB',
    detail: `CSV ${(r.csvBytes / 2 ** 20).toFixed(1)} MB, table ${r.tableRows} rows; RSS with the result loaded ${r.rssBeforeMb.toFixed(0)} MB`,
  });
}

function sandboxRss(): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', here('./sandbox-rss.ts')], {
    encoding: 'utf8',
    env: { ...process.env, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' },
  });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    rows.push({
      benchmark: '(d) sandbox RSS, README commands',
      figure: 'failed',
      target: '< 500 MB',
      detail: child.stderr.split('\n')[0] ?? '',
    });
    return;
  }
  const r = JSON.parse(line) as { readyMb: number; afterMb: number; peakMb: number };
  rows.push({
    benchmark: '(d) sandbox RSS, README commands',
    figure: `peak ${r.peakMb.toFixed(0)} MB`,
    target: '< 500 MB',
    detail: `after start-up and demo data ${r.readyMb.toFixed(0)} MB, after the commands ${r.afterMb.toFixed(0)} MB`,
  });
}

async function endToEnd(freshText: boolean): Promise<void> {
  const runs = 200;
  const r = await benchQueryOverhead(runs, { freshText });
  rows.push({
    benchmark: freshText ? '(c) bot overhead, new query text' : '(c) bot overhead, repeated query',
    figure: `p50 ${ms(pct(r.overheadMs, 50))}, p90 ${ms(pct(r.overheadMs, 90))}`,
    target: 'p50 <= 5 ms',
    detail:
      `${runs} runs; to posted result p50 ${ms(pct(r.totalMs, 50))}; upstream window p50 ${ms(pct(r.upstreamWindowMs, 50))} ` +
      `(HTTP ${ms(pct(r.upstreamHttpMs, 50))}, the rest is waiting between polls)`,
  });
}

// --- (f) fan-out and (m) memory (issue 12) ---------------------------------------------------------------------------
async function fanoutAndMemory(): Promise<void> {
  try {
    const f = await benchFanout();
    rows.push({
      benchmark: `(f) fan-out, ${f.digests} digests, ${f.replicas} replicas, ${f.channels} channels`,
      figure: `last post ${(f.lastAfterMs / 1000).toFixed(1)} s = ${(f.lastAfterMs / f.floorMs).toFixed(2)}x floor; ${f.delivered} delivered, ${f.duplicates} duplicates; 429s ${(((f.maton429 + f.slack429) / (f.matonRequests + f.slackPosts)) * 100).toFixed(2)}%`,
      target: 'all once, <= 1.2x floor, 429s <= 1%',
      detail: `floor ${(f.floorMs / 1000).toFixed(1)} s; Maton ${f.matonRequests} requests (${f.maton429} x 429); Slack ${f.slackPosts} posts (${f.slack429} x 429); real time; FANOUT_DIGESTS=1000 for the full target`,
    });
  } catch (error) {
    rows.push({
      benchmark: '(f) fan-out',
      figure: 'failed',
      target: 'all once, <= 1.2x floor, 429s <= 1%',
      detail: String(error).split('\n')[0] ?? '',
    });
  }
  const m = await benchMemory();
  rows.push({
    benchmark: `(m) bot RSS, ${m.commands.toLocaleString('en-US')} mixed commands`,
    figure: `start ${m.startMb.toFixed(0)} MB, end ${m.endMb.toFixed(0)} MB, last half ${m.growthLastHalfMb >= 0 ? '+' : ''}${m.growthLastHalfMb.toFixed(0)} MB`,
    target: '<= 200 MB steady, no growth over the last half',
    detail: `RSS per 1,000: ${m.samplesMb.map((n) => n.toFixed(0)).join(' ')} MB; heap used ${m.heapMb.map((n) => n.toFixed(0)).join(' ')} MB; at the end heap reserved ${m.endHeapTotalMb.toFixed(0)} MB, external ${m.endExternalMb.toFixed(0)} MB; ${m.failures} failed`,
  });
}

function machine(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} x${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${process.platform}/${process.arch}; load average at the end ${load}`;
}

function print(): void {
  const head: Row = { benchmark: 'benchmark', figure: 'figure', target: 'target', detail: 'detail' };
  const keys = ['benchmark', 'figure', 'target', 'detail'] as const;
  const widths = keys.map((k) => Math.max(...[head, ...rows].map((r) => r[k].length)));
  const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nMachine: ${machine()}\n`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

// --- Worker pool benches (issue 12): ack latency under mixed load, and /ph query overhead with the parser pooled ---
async function poolBenches(): Promise<void> {
  const { benchMixedLoad } = await import('./mixed-load.js');
  const m = await benchMixedLoad();
  rows.push({
    benchmark: '(e) /ph help ack under mixed load',
    figure: `idle p50 ${ms(m.idle.p50)} p99 ${ms(m.idle.p99)}; loaded p50 ${ms(m.loaded.p50)} p99 ${ms(m.loaded.p99)} max ${ms(m.loaded.max)}`,
    target: 'p99 <= 100 ms, <= 3x idle p99, max <= 3 s',
    detail: `${m.charts} line charts + ${m.bigResults} 50,000-row results drawn meanwhile; loop delay p99 ${ms(m.loopDelayP99Ms)}`,
  });
}
// --- end of the worker pool benches ---

renderFiftyThousand();
sandboxRss();
await endToEnd(false);
await endToEnd(true);
await emulatorGroupBy();
await fanoutAndMemory();
await poolBenches();
print();
