/**
 * The control hook that lands a colleague's flag edit just before the flag's next write (resources/flags.ts
 * `queueColleagueEdit`): reads don't trigger it, the next write does, once, saved the way PostHog saves any write.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.reset();
});

const queue = (flagId: number, body: unknown, project = 1001) =>
  fetch(`${emulator.url}/_emulator/projects/${project}/feature_flags/${flagId}/colleague-edit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('colleague-edit control hook', () => {
  it('lands before the next write only, once, as a saved write by the colleague', async () => {
    const flag = emulator.state.flag(1001, 'ai-insights')!;
    const url = ph(`/api/projects/1001/feature_flags/${flag.id}/`);
    const read = (await call(emulator, url)).body;
    expect((await queue(flag.id, { name: 'Colleague name', by: 'kim@acme.example' })).status).toBe(201);
    // A read does not land it.
    expect((await call(emulator, url)).body.version).toBe(read.version);
    // The next write does, first: a stale write touching the same field is refused as PostHog refuses it.
    const stale = await call(emulator, url, { method: 'PATCH', body: { name: 'Hogbot name', version: read.version, original_flag: read } });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('kim@acme.example');
    const now = (await call(emulator, url)).body;
    expect(now).toMatchObject({ name: 'Colleague name', version: read.version + 1 });
    // Consumed: the next write is not preceded by it again.
    expect((await call(emulator, url, { method: 'PATCH', body: { name: 'Later', version: now.version, original_flag: now } })).status).toBe(
      200,
    );
    expect(emulator.state.flag(1001, 'ai-insights')).toMatchObject({ name: 'Later', version: read.version + 2 });
  });

  it('is 404 for an unknown flag or project', async () => {
    expect((await queue(999_999, { name: 'x' })).status).toBe(404);
    expect((await queue(1, { name: 'x' }, 424242)).status).toBe(404);
  });
});
