/**
 * Operations endpoints beside `/healthz`: `GET /readyz` (the database answers and every migration is applied, so a
 * load balancer only sends traffic to a replica that can serve it) and `GET /metrics` (Prometheus text).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { metricsText } from './metrics.js';
import type { Store } from './store/store.js';

/** A stuck database must not hold the probe longer than a typical probe timeout. */
const READY_TIMEOUT_MS = 2_000;

export async function readiness(
  store: Pick<Store, 'pendingMigrations'>,
): Promise<{ ok: boolean; database: 'ok' | 'unreachable'; pendingMigrations: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const pending = await Promise.race([
      store.pendingMigrations ? store.pendingMigrations() : Promise.resolve([]),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS))),
    ]);
    return { ok: pending.length === 0, database: 'ok', pendingMigrations: pending };
  } catch {
    // The reason (a host, a driver message) stays out of an unauthenticated answer.
    return { ok: false, database: 'unreachable', pendingMigrations: [] };
  } finally {
    clearTimeout(timer);
  }
}

async function answerReady(store: Pick<Store, 'pendingMigrations'>, res: ServerResponse): Promise<void> {
  const state = await readiness(store);
  res.writeHead(state.ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify(state));
}

async function answerMetrics(res: ServerResponse): Promise<void> {
  const { contentType, body } = await metricsText();
  res.writeHead(200, { 'content-type': contentType });
  res.end(body);
}

/** Bolt's HTTPReceiver routes. */
export function opsRoutes(store: Pick<Store, 'pendingMigrations'>): CustomRoute[] {
  return [
    { path: '/readyz', method: ['GET'], handler: (_req, res) => void answerReady(store, res) },
    { path: '/metrics', method: ['GET'], handler: (_req, res) => void answerMetrics(res) },
  ];
}

/** For the small server Socket Mode runs on PORT: true when it answered the request. */
export function handleOpsRequest(store: Pick<Store, 'pendingMigrations'>, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET') return false;
  const path = req.url?.split('?')[0];
  if (path === '/readyz') void answerReady(store, res);
  else if (path === '/metrics') void answerMetrics(res);
  else return false;
  return true;
}
