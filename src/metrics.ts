/**
 * The process's Prometheus metrics (prom-client), served at `GET /metrics`. One registry per process: several apps in
 * one test process add to the same series, as several listeners of one process would.
 *
 * @example
 * observeUpstream('maton', 429);
 * setPoolQueueDepth(pool.queueSize); // the worker pool reports its queue here
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'hogbot_' });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const ackSeconds = new Histogram({
  name: 'hogbot_ack_seconds',
  help: 'Time from a Slack request arriving to its HTTP answer (the ack), by request kind.',
  labelNames: ['kind'],
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

const handlerSeconds = new Histogram({
  name: 'hogbot_handler_seconds',
  help: 'Time a command, click, view or event takes end to end (after the ack too), by kind and outcome.',
  labelNames: ['kind', 'outcome'],
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

const upstreamRequests = new Counter({
  name: 'hogbot_upstream_requests_total',
  help: 'Requests to Maton/PostHog and Slack, by service and HTTP status ("error" when none came back).',
  labelNames: ['service', 'status'],
  registers: [registry],
});

const rateLimited = new Counter({
  name: 'hogbot_rate_limited_total',
  help: 'Answers 429 (rate limited) drawn, by service.',
  labelNames: ['service'],
  registers: [registry],
});

const deliveries = new Counter({
  name: 'hogbot_deliveries_total',
  help: 'Scheduled digests and alerts run, by kind and outcome.',
  labelNames: ['kind', 'outcome'],
  registers: [registry],
});

const budgetWait = new Histogram({
  name: 'hogbot_budget_wait_seconds',
  help: 'Time a Maton request waited for its turn in the shared rate budget.',
  buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const poolQueueDepth = new Gauge({
  name: 'hogbot_worker_pool_queue_depth',
  help: 'Tasks waiting for a worker in the heavy-work pool.',
  registers: [registry],
});

export function observeAck(kind: string, seconds: number): void {
  ackSeconds.observe({ kind }, seconds);
}

export function observeHandler(kind: string, outcome: 'ok' | 'error', seconds: number): void {
  handlerSeconds.observe({ kind, outcome }, seconds);
}

export function observeUpstream(service: 'maton' | 'slack', status: number | undefined): void {
  upstreamRequests.inc({ service, status: status === undefined ? 'error' : String(status) });
  if (status === 429) rateLimited.inc({ service });
}

export function observeDelivery(kind: string, outcome: 'sent' | 'failed'): void {
  deliveries.inc({ kind, outcome });
}

export function observeBudgetWait(ms: number): void {
  budgetWait.observe(ms / 1000);
}

/** For the worker pool: how many tasks wait for a worker right now. */
export function setPoolQueueDepth(depth: number): void {
  poolQueueDepth.set(depth);
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
