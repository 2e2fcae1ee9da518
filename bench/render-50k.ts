/**
 * Benchmark (b), run in its own process so its RSS is its own: a 50,000-row result (the query endpoint's maximum)
 * rendered into the Slack message and its CSV, exactly as /ph query does. Prints one JSON line.
 */
import { toCsv } from '../src/hogql/csv.js';
import { resultFitsTable, resultMessage } from '../src/hogql/result-model.js';

const ROWS = 50_000;
const RUNS = 7;
const EVENTS = ['$pageview', '$autocapture', '$pageleave', 'signed_up', 'purchase', '$identify'];

/** Shaped like PostHog's answer to `SELECT uuid, event, timestamp, properties.$current_url, count() ...`. */
function syntheticResult() {
  const start = Date.UTC(2026, 2, 1);
  const results = Array.from({ length: ROWS }, (_, i) => [
    `01890000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    EVENTS[i % EVENTS.length],
    new Date(start + i * 37_000).toISOString().replace('Z', '000Z'),
    `https://acme.com/products/${i % 500}?utm_source=newsletter`,
    (i * 7919) % 100_000,
  ]);
  return {
    columns: ['uuid', 'event', 'timestamp', 'properties.$current_url', 'count()'],
    types: ['UUID', 'String', "DateTime64(6, 'UTC')", 'Nullable(String)', 'UInt64'],
    results,
  };
}

const result = syntheticResult();
const rssBefore = process.memoryUsage().rss;
const times: number[] = [];
let csvBytes = 0;
let tableRows = 0;
for (let run = 0; run < RUNS; run += 1) {
  const t = performance.now();
  const model = {
    query: 'SELECT uuid, event, timestamp, properties.$current_url, count() FROM events',
    columns: result.columns,
    types: result.types,
    rows: result.results,
    hasMore: false,
    fetchLimit: null,
    elapsedMs: 1234,
    timeZone: 'America/Los_Angeles',
  };
  const needsCsv = !resultFitsTable(model);
  const csv = needsCsv ? toCsv(result.columns, result.results) : Buffer.alloc(0);
  const message = resultMessage({ ...model, csv: { name: 'query-result.csv', permalink: 'https://files.example/F1' } });
  const json = JSON.stringify(message);
  times.push(performance.now() - t);
  csvBytes = csv.length;
  tableRows = (JSON.parse(json).blocks.at(-1).rows as unknown[]).length - 1;
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rows: ROWS,
    runs: RUNS,
    firstMs: times.at(-1),
    medianMs: times[Math.floor(RUNS / 2)],
    bestMs: times[0],
    csvBytes,
    tableRows,
    rssBeforeMb: rssBefore / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
