import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { FIXED_NOW, call, offsetOf, ph, start } from './helpers.js';

const PERSONS = ph('/api/projects/1001/persons/');
const RECORDINGS = ph('/api/projects/1001/session_recordings/');

describe('persons and session recordings', () => {
  let emulator: Emulator;
  let ana: any;
  beforeAll(async () => {
    emulator = await start();
    ana = (await call(emulator, `${PERSONS}?email=ana@acme.com`)).body.results[0];
  });
  afterAll(() => emulator.close());

  it('finds ana@acme.com by email, distinct id and search', async () => {
    expect(ana).toMatchObject({ name: 'ana@acme.com', is_identified: true, properties: { email: 'ana@acme.com', name: 'Ana Alvarez' } });
    expect(ana.uuid).toBe(ana.id);
    expect(ana.distinct_ids[0]).toBe('ana@acme.com');
    expect(ana.distinct_ids).toHaveLength(2);

    const byAnon = await call(emulator, `${PERSONS}?distinct_id=${encodeURIComponent(ana.distinct_ids[1])}`);
    expect(byAnon.body.results.map((p: any) => p.id)).toEqual([ana.id]);
    const bySearch = await call(emulator, `${PERSONS}?search=ana@acme`);
    expect(bySearch.body.results.map((p: any) => p.id)).toContain(ana.id);
    const byProps = await call(
      emulator,
      `${PERSONS}?properties=${encodeURIComponent(JSON.stringify([{ key: 'plan', value: 'enterprise', operator: 'exact', type: 'person' }]))}`,
    );
    expect(byProps.body.results.length).toBeGreaterThan(0);
    expect(byProps.body.results.every((p: any) => p.properties.plan === 'enterprise')).toBe(true);

    expect((await call(emulator, `${PERSONS}${ana.id}/`)).body.id).toBe(ana.id);
    expect((await call(emulator, `${PERSONS}00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
  });

  it('pages through every person newest first', async () => {
    const first = await call(emulator, `${PERSONS}?limit=120`);
    expect(first.body.count).toBe(300);
    const ids: string[] = first.body.results.map((p: any) => p.id);
    let next = first.body.next;
    while (next) {
      const page = await call(emulator, `${PERSONS}?limit=120&offset=${offsetOf(next)}`);
      ids.push(...page.body.results.map((p: any) => p.id));
      next = page.body.next;
    }
    expect(new Set(ids).size).toBe(300);
    const created = first.body.results.map((p: any) => p.created_at);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('lists recordings in the non-standard {results, has_next, version} shape', async () => {
    const res = await call(emulator, `${RECORDINGS}?limit=5`);
    expect(Object.keys(res.body).sort()).toEqual(['has_next', 'results', 'version']);
    expect(res.body.has_next).toBe(true);
    expect(res.body.results).toHaveLength(5);
    const first = res.body.results[0];
    expect(first).toMatchObject({
      id: expect.any(String),
      distinct_id: expect.any(String),
      start_url: expect.stringMatching(/^https:\/\/acme\.com\//),
    });
    expect(first.recording_duration).toBe(Math.round((Date.parse(first.end_time) - Date.parse(first.start_time)) / 1000));
    // Default window: the last 3 days, newest first.
    const starts = res.body.results.map((r: any) => Date.parse(r.start_time));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    expect(Date.parse(res.body.results.at(-1).end_time)).toBeGreaterThan(FIXED_NOW.getTime() - 3 * 86_400_000);
  });

  it('filters recordings by person and reaches the end with has_next false', async () => {
    const all = await call(emulator, `${RECORDINGS}?person_uuid=${ana.id}&date_from=-30d&limit=3`);
    expect(all.body.results.every((r: any) => r.person.uuid === ana.id)).toBe(true);
    const seen = all.body.results.length;
    const rest = await call(emulator, `${RECORDINGS}?person_uuid=${ana.id}&date_from=-30d&limit=100&offset=${seen}`);
    expect(rest.body.has_next).toBe(false);
    expect(seen + rest.body.results.length).toBeGreaterThanOrEqual(4);

    const byDistinct = await call(
      emulator,
      `${RECORDINGS}?distinct_ids=${encodeURIComponent(JSON.stringify(['ana@acme.com']))}&date_from=-30d&limit=100`,
    );
    expect(byDistinct.body.results.length).toBe(seen + rest.body.results.length);

    const one = all.body.results[0];
    expect((await call(emulator, `${RECORDINGS}${one.id}/`)).body.id).toBe(one.id);
    expect((await call(emulator, `${RECORDINGS}nope/`)).status).toBe(404);
  });
});
