/**
 * The query endpoint's semantics (blocking, async post/poll/cancel, DRF error bodies) over the fixture dataset,
 * through the service and through the QueryEngine adapter the emulator's router calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHogQLQueryEngine } from '../../src/emulator/hogql/adapter.js';
import { createHogQLEngine, type HogQLEngine } from '../../src/emulator/hogql/engine.js';
import { HogQLQueryService, type ServiceReply } from '../../src/emulator/hogql/service.js';
import { FIXTURE_NOW, buildFixture } from './fixtures/hogql-fixture.js';

let engine: HogQLEngine;
let service: HogQLQueryService;

// Queries mentioning 'slow' wait a minute before running, long enough to be polled and cancelled.
const SLOW = 60_000;

beforeAll(async () => {
  engine = await createHogQLEngine(buildFixture());
  service = new HogQLQueryService({ engine, teamId: 7, delayMs: (q) => (q.includes("'slow'") ? SLOW : 0) });
});

afterAll(() => {
  service.close();
  engine.close();
});

const hogql = (query: string, extra: Record<string, unknown> = {}) => ({ query: { kind: 'HogQLQuery', query }, ...extra });

async function pollUntilDone(id: string): Promise<ServiceReply> {
  for (let i = 0; i < 200; i++) {
    const reply = service.get(id);
    if (reply.status !== 202) return reply;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`query ${id} never finished`);
}

describe('blocking queries', () => {
  it('answers 200 with a HogQLQueryResponse', async () => {
    const reply = await service.post(
      hogql("SELECT event, count() FROM events WHERE event IN ('purchase', 'signed_up') GROUP BY event ORDER BY event"),
      { now: FIXTURE_NOW },
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      results: [
        ['purchase', 9],
        ['signed_up', 5],
      ],
      columns: ['event', 'count()'],
      types: [
        ['event', 'String'],
        ['count()', 'UInt64'],
      ],
      hasMore: false,
      limit: 100,
      offset: 0,
      is_cached: false,
      error: null,
      timezone: 'UTC',
    });
  });

  it('passes values to placeholders', async () => {
    const reply = await service.post({
      query: { kind: 'HogQLQuery', query: 'SELECT count() FROM events WHERE event = {e}', values: { e: '$identify' } },
    });
    expect(reply).toMatchObject({ status: 200, body: { results: [[2]] } });
  });

  it('turns HogQL errors into DRF validation errors', async () => {
    const syntax = await service.post(hogql('SELECT FROM WHERE'));
    expect(syntax.status).toBe(400);
    expect(syntax.body).toEqual({
      type: 'validation_error',
      code: 'invalid_input',
      detail: expect.stringMatching(/no viable alternative/),
      attr: null,
    });
    const unknown = await service.post(hogql('SELECT zzyzx() FROM events'));
    expect(unknown.body).toEqual({
      type: 'validation_error',
      code: 'invalid_input',
      detail: "Unsupported function call 'zzyzx(...)'",
      attr: null,
    });
  });

  it('rejects other query kinds by name, and malformed bodies', async () => {
    const trends = await service.post({ query: { kind: 'TrendsQuery', series: [] } });
    expect(trends.status).toBe(400);
    expect(trends.body).toMatchObject({
      type: 'validation_error',
      code: 'invalid_input',
      detail: expect.stringContaining("'TrendsQuery'"),
    });
    const missing = await service.post({ query: { kind: 'HogQLQuery' } });
    expect(missing).toMatchObject({ status: 400, body: { type: 'validation_error', code: 'parse_error' } });
    const badRefresh = await service.post(hogql('SELECT 1', { refresh: 'sometimes' }));
    expect(badRefresh).toMatchObject({ status: 400, body: { code: 'parse_error' } });
  });
});

describe('async queries', () => {
  it('answers 202 with a query status, then 200 with the results when polled', async () => {
    const posted = await service.post(hogql("SELECT count() FROM events WHERE event = 'purchase'", { refresh: 'async' }));
    expect(posted.status).toBe(202);
    const status = (posted.body as { query_status: Record<string, unknown> }).query_status;
    expect(status).toMatchObject({ complete: false, error: false, query_async: true, team_id: 7, results: null });
    expect(status.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    const done = await pollUntilDone(status.id as string);
    expect(done.status).toBe(200);
    const final = (done.body as { query_status: Record<string, unknown> }).query_status;
    expect(final).toMatchObject({ id: status.id, complete: true, error: false, error_message: null });
    expect(final.results).toMatchObject({ results: [[9]], columns: ['count()'], types: [['count()', 'UInt64']], is_cached: false });
    expect(final.end_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
  });

  it('keeps answering 202 while the query runs, and cancel makes it disappear', async () => {
    const posted = await service.post(hogql("SELECT 'slow' FROM events", { refresh: 'async', client_query_id: 'slow-one' }));
    expect(posted.status).toBe(202);
    expect(service.get('slow-one')).toMatchObject({ status: 202, body: { query_status: { id: 'slow-one', complete: false } } });
    expect(service.cancel('slow-one')).toEqual({ status: 204 });
    expect(service.get('slow-one')).toMatchObject({ status: 404, body: { type: 'invalid_request', code: 'not_found' } });
  });

  it('returns the existing status when a client query id is posted again', async () => {
    await service.post(hogql("SELECT 'slow'", { refresh: 'async', client_query_id: 'same-id' }));
    const again = await service.post(hogql("SELECT 'slow'", { refresh: 'async', client_query_id: 'same-id' }));
    expect(again).toMatchObject({ status: 202, body: { query_status: { id: 'same-id', complete: false } } });
    service.cancel('same-id');
  });

  it('reports failures on the poll with 400 and the error message', async () => {
    const posted = await service.post(hogql('SELECT nope FROM events', { refresh: 'async' }));
    const id = (posted.body as { query_status: { id: string } }).query_status.id;
    const done = await pollUntilDone(id);
    expect(done.status).toBe(400);
    expect(done.body).toMatchObject({
      query_status: { id, complete: true, error: true, error_message: 'Unable to resolve field: nope', results: null },
    });
  });

  it('answers 404 for unknown ids and 204 for cancelling them', () => {
    expect(service.get('never-posted')).toEqual({
      status: 404,
      body: { type: 'invalid_request', code: 'not_found', detail: 'Query never-posted not found for team 7', attr: null },
    });
    expect(service.cancel('never-posted')).toEqual({ status: 204 });
  });
});

describe('QueryEngine adapter', () => {
  it('serves run, status and cancel per project over the shared dataset', async () => {
    const queryEngine = createHogQLQueryEngine({ delayMs: (q) => (q.includes("'slow'") ? SLOW : 0) });
    const dataset = buildFixture();
    const ctx = { projectId: 3, timezone: 'UTC', dataset, now: FIXTURE_NOW, connectionId: 'conn-1' };
    try {
      const ran = await queryEngine.run(3, hogql('SELECT count() FROM persons WHERE is_identified'), ctx);
      expect(ran).toMatchObject({ status: 200, body: { results: [[9]] } });
      const today = await queryEngine.run(3, hogql('SELECT today()'), ctx);
      expect(today).toMatchObject({ status: 200, body: { results: [['2026-11-20']] } });
      const posted = await queryEngine.run(3, hogql("SELECT 'slow'", { refresh: 'async', client_query_id: 'adapter-slow' }), ctx);
      expect(posted.status).toBe(202);
      expect(await queryEngine.status!(3, 'adapter-slow', ctx)).toMatchObject({ status: 202 });
      expect(await queryEngine.status!(4, 'adapter-slow', { ...ctx, projectId: 4 })).toMatchObject({ status: 404 });
      expect(await queryEngine.cancel!(3, 'adapter-slow', ctx)).toMatchObject({ status: 204 });
      expect(await queryEngine.status!(3, 'adapter-slow', ctx)).toMatchObject({ status: 404 });
    } finally {
      await queryEngine.close();
    }
  });
});
