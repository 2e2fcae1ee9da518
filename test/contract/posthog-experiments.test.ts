/**
 * Contract: PostHog's experiment API as Hogbot uses it, read from PostHog's source, checked against the emulator.
 * - ee/clickhouse/views/experiments.py, ExperimentViewSet.launch: POST /experiments/{id}/launch/ launches a draft (sets
 *   start_date, activates the flag); 400 when already launched.
 * - ee/clickhouse/views/experiments.py, ExperimentViewSet.end: POST /experiments/{id}/end/ sets end_date, leaves the flag
 *   as it is; 400 when not running.
 * - ExperimentSerializer fields primary_metrics_ordered_uuids / secondary_metrics_ordered_uuids: stored and returned;
 *   the frontend (scenes/experiments) lists metrics by those uuids.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from '../emulator/helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => emulator.reset());

const EXP = '/api/projects/1001/experiments/';

describe('ExperimentViewSet (emulator mirrors PostHog)', () => {
  it('create stores primary_metrics_ordered_uuids alongside metrics that carry a uuid', async () => {
    const uuid = '0b7e2c1a-1111-4222-8333-444455556666';
    const created = await call(emulator, ph(EXP), {
      body: {
        name: 'Contract test',
        feature_flag_key: 'contract-test',
        metrics: [{ kind: 'ExperimentMetric', metric_type: 'funnel', uuid, series: [{ kind: 'EventsNode', event: 'purchase' }] }],
        primary_metrics_ordered_uuids: [uuid],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      primary_metrics_ordered_uuids: [uuid],
      secondary_metrics_ordered_uuids: null,
      metrics: [{ uuid }],
    });
  });

  it('launch: a draft starts and its flag turns on; a second launch is refused', async () => {
    const launched = await call(emulator, ph(`${EXP}20002/launch/`), { method: 'POST', body: {} });
    expect(launched.status).toBe(200);
    expect(launched.body.start_date).toEqual(expect.any(String));
    expect(launched.body.feature_flag).toMatchObject({ active: true });
    expect((await call(emulator, ph(`${EXP}20002/launch/`), { method: 'POST', body: {} })).status).toBe(400);
  });

  it('end: a running experiment gets its end_date, the flag is left alone; ending a draft is refused', async () => {
    expect((await call(emulator, ph(`${EXP}20002/end/`), { method: 'POST', body: {} })).status).toBe(400);
    const ended = await call(emulator, ph(`${EXP}20001/end/`), { method: 'POST', body: {} });
    expect(ended.status).toBe(200);
    expect(ended.body.end_date).toEqual(expect.any(String));
    expect(ended.body.feature_flag).toMatchObject({ active: true });
  });
});
