/**
 * Timing check for the lead's `npm run bench`: loads N synthetic events into the HogQL engine and times the
 * canonical breakdown query. Not a test (no timing assertions anywhere); the numbers are for humans.
 */
import type { DemoDataset, DemoEvent, DemoPerson } from '../dataset-types.js';
import { createHogQLEngine } from './engine.js';

export interface EmulatorGroupByBench {
  events: number;
  /** Building the synthetic dataset in JS. */
  generateMs: number;
  /** Loading it into DuckDB (appender + property type inference). */
  loadMs: number;
  /** `SELECT event, count() FROM events GROUP BY event`: first run, then the best of five warm runs. */
  firstQueryMs: number;
  ms: number;
  groups: number;
}

const EVENT_NAMES = ['$pageview', '$pageleave', '$autocapture', 'signed_up', 'purchase', '$identify'];
const BROWSERS = ['Chrome', 'Safari', 'Firefox', 'Edge'];

/** A deterministic dataset shaped like the demo one: 5,000 persons, events every few seconds over 30 days. */
export function syntheticDataset(events: number): DemoDataset {
  const personCount = 5_000;
  const persons: DemoPerson[] = Array.from({ length: personCount }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    distinctIds: [`user-${i}`],
    properties: { email: `user${i}@example.com`, plan: i % 5 === 0 ? 'pro' : 'free' },
    createdAt: new Date(Date.UTC(2026, 9, 1) + i * 60_000),
    isIdentified: true,
  }));
  const start = Date.UTC(2026, 10, 1);
  const out: DemoEvent[] = new Array(events);
  for (let i = 0; i < events; i++) {
    const person = (i * 7919) % personCount;
    out[i] = {
      uuid: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      event: EVENT_NAMES[(i * 31) % EVENT_NAMES.length]!,
      distinctId: `user-${person}`,
      personId: persons[person]!.id,
      timestamp: new Date(start + i * 2_500),
      properties: {
        $browser: BROWSERS[i % BROWSERS.length],
        $current_url: `https://acme.com/p/${i % 50}`,
        $session_id: `s-${Math.floor(i / 20)}`,
        amount: i % 100,
      },
      elementsChain: '',
    };
  }
  return { persons, events: out, sessions: [] };
}

export async function benchEmulatorGroupBy(events: number): Promise<EmulatorGroupByBench> {
  let t = performance.now();
  const dataset = syntheticDataset(events);
  const generateMs = performance.now() - t;
  t = performance.now();
  const engine = await createHogQLEngine(dataset);
  const loadMs = performance.now() - t;
  try {
    const query = 'SELECT event, count() FROM events GROUP BY event';
    t = performance.now();
    const first = await engine.execute(query);
    const firstQueryMs = performance.now() - t;
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      await engine.execute(query);
      best = Math.min(best, performance.now() - t);
    }
    return { events, generateMs, loadMs, firstQueryMs, ms: best, groups: first.results.length };
  } finally {
    engine.close();
  }
}
