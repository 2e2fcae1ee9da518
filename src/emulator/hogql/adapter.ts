/**
 * The emulator's QueryEngine (src/emulator/query-engine.ts) backed by the HogQL engine: one DuckDB engine per
 * dataset object (the REST side hands the same dataset for the emulator's life) and one query service per project,
 * so async query ids are scoped to their project like PostHog's.
 */
import type { DemoDataset } from '../dataset-types.js';
import type { QueryEngine, QueryEngineContext, QueryEngineReply } from '../query-engine.js';
import { createHogQLEngine, type HogQLEngine, type HogQLEngineOptions } from './engine.js';
import { HogQLQueryService, type HogQLServiceOptions, type ServiceReply } from './service.js';

export interface HogQLQueryEngineOptions {
  engine?: HogQLEngineOptions;
  /** Passed to every project's query service (artificial latency for polling/cancel tests). */
  delayMs?: HogQLServiceOptions['delayMs'];
  statusTtlMs?: number;
}

export interface ClosableQueryEngine extends QueryEngine {
  /** Loads a dataset ahead of the first query (loading a million events takes a few seconds). */
  preload(dataset: DemoDataset): Promise<void>;
  /** Cancels running queries and frees every DuckDB instance. */
  close(): Promise<void>;
}

function reply(r: ServiceReply): QueryEngineReply {
  return r.body === undefined ? { status: r.status, body: null } : { status: r.status, body: r.body };
}

export function createHogQLQueryEngine(options: HogQLQueryEngineOptions = {}): ClosableQueryEngine {
  const engines = new Map<DemoDataset, Promise<HogQLEngine>>();
  const services = new Map<number, { service: HogQLQueryService; dataset: DemoDataset }>();

  function engineFor(dataset: DemoDataset): Promise<HogQLEngine> {
    let engine = engines.get(dataset);
    if (!engine) {
      engine = createHogQLEngine(dataset, options.engine);
      engine.catch(() => engines.delete(dataset));
      engines.set(dataset, engine);
    }
    return engine;
  }

  function serviceFor(projectId: number, ctx: QueryEngineContext): HogQLQueryService {
    const existing = services.get(projectId);
    if (existing && existing.dataset === ctx.dataset) return existing.service;
    existing?.service.close();
    const service = new HogQLQueryService({
      engine: engineFor(ctx.dataset),
      teamId: projectId,
      timezone: ctx.timezone,
      ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
      ...(options.statusTtlMs !== undefined ? { statusTtlMs: options.statusTtlMs } : {}),
    });
    services.set(projectId, { service, dataset: ctx.dataset });
    return service;
  }

  return {
    async run(projectId, body, ctx) {
      return reply(await serviceFor(projectId, ctx).post(body, { now: ctx.now, timezone: ctx.timezone }));
    },
    async status(projectId, queryId, ctx) {
      return reply(serviceFor(projectId, ctx).get(queryId));
    },
    async cancel(projectId, queryId, ctx) {
      return reply(serviceFor(projectId, ctx).cancel(queryId));
    },
    async preload(dataset) {
      await engineFor(dataset);
    },
    async close() {
      for (const { service } of services.values()) service.close();
      services.clear();
      const all = [...engines.values()];
      engines.clear();
      for (const engine of await Promise.allSettled(all)) if (engine.status === 'fulfilled') engine.value.close();
    },
  };
}
