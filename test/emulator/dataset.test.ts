import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/emulator/dataset.js';
import type { DatasetOptions } from '../../src/emulator/dataset-types.js';

const NOW = new Date('2026-03-02T15:30:00Z');
const BASE: DatasetOptions = { seed: 7, now: NOW, days: 14, events: 4000, persons: 80 };
const DAY = 86_400_000;

describe('generateDataset', () => {
  it('is deterministic for a seed', () => {
    expect(generateDataset(BASE)).toEqual(generateDataset(BASE));
    expect(generateDataset({ ...BASE, seed: 8 }).persons[1]?.id).not.toBe(generateDataset(BASE).persons[1]?.id);
  });

  it('keeps persons stable when only `now` changes', () => {
    const later = generateDataset({ ...BASE, now: new Date(NOW.getTime() + 3 * DAY + 12_345) });
    const base = generateDataset(BASE);
    expect(later.persons.map((p) => [p.id, p.distinctIds])).toEqual(base.persons.map((p) => [p.id, p.distinctIds]));
  });

  it('produces exactly the requested events and persons, inside the window, sorted by time', () => {
    const d = generateDataset(BASE);
    expect(d.events).toHaveLength(4000);
    expect(d.persons).toHaveLength(80);
    const times = d.events.map((e) => e.timestamp.getTime());
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW.getTime() - 14 * DAY - DAY);
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
    expect(new Set(d.events.map((e) => e.uuid)).size).toBe(4000);
  });

  it('makes ana@acme.com the first identified person, with several recorded sessions', () => {
    const d = generateDataset(BASE);
    const ana = d.persons[0];
    expect(ana?.properties.email).toBe('ana@acme.com');
    expect(ana?.isIdentified).toBe(true);
    expect(ana?.distinctIds).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7/), 'ana@acme.com']);
    const sessions = d.sessions.filter((s) => s.personId === ana?.id);
    expect(sessions.length).toBeGreaterThanOrEqual(5);
    expect(sessions.every((s) => s.hasRecording)).toBe(true);
    const identify = d.events.find((e) => e.event === '$identify' && e.personId === ana?.id);
    expect(identify?.properties.$anon_distinct_id).toBe(ana?.distinctIds[0]);
  });

  it('ties events, sessions and persons together', () => {
    const d = generateDataset(BASE);
    const personIds = new Set(d.persons.map((p) => p.id));
    const distinctToPerson = new Map(d.persons.flatMap((p) => p.distinctIds.map((id) => [id, p.id] as const)));
    const sessionIds = new Set(d.sessions.map((s) => s.id));
    for (const e of d.events) {
      expect(personIds.has(e.personId)).toBe(true);
      expect(distinctToPerson.get(e.distinctId)).toBe(e.personId);
      expect(sessionIds.has(e.properties.$session_id as string)).toBe(true);
    }
    const pageviews = d.events.filter((e) => e.event === '$pageview');
    expect(pageviews.every((e) => String(e.properties.$current_url).endsWith(String(e.properties.$pathname)))).toBe(true);
    const total = d.sessions.reduce((n, s) => n + s.pageviews, 0);
    expect(total).toBe(pageviews.length);
    expect(d.events.filter((e) => e.event === 'purchase').every((e) => typeof e.properties.amount === 'number')).toBe(true);
  });

  it('exposes running experiments in events', () => {
    const start = new Date(NOW.getTime() - 7 * DAY);
    const d = generateDataset({
      ...BASE,
      experiments: [
        {
          flagKey: 'exp-flag',
          variants: [
            { key: 'control', rolloutPercentage: 50 },
            { key: 'test', rolloutPercentage: 50 },
          ],
          start,
          lift: 0.5,
        },
      ],
    });
    const called = d.events.filter((e) => e.event === '$feature_flag_called');
    expect(called.length).toBeGreaterThan(0);
    expect(new Set(called.map((e) => e.properties.$feature_flag_response))).toEqual(new Set(['control', 'test']));
    expect(called.every((e) => e.timestamp >= start && e.properties.$feature_flag === 'exp-flag')).toBe(true);
    const tagged = d.events.filter((e) => e.properties['$feature/exp-flag'] !== undefined);
    expect(tagged.every((e) => e.timestamp >= start)).toBe(true);
    // A person always sees the same variant.
    const variantOf = new Map<string, unknown>();
    for (const e of tagged) {
      const seen = variantOf.get(e.personId);
      if (seen !== undefined) expect(e.properties['$feature/exp-flag']).toBe(seen);
      variantOf.set(e.personId, e.properties['$feature/exp-flag']);
    }
    expect(d.events.some((e) => e.timestamp < start && e.properties['$feature/exp-flag'] !== undefined)).toBe(false);
  });

  it('copes with an empty request', () => {
    const d = generateDataset({ ...BASE, events: 0, persons: 0 });
    expect(d).toEqual({ persons: [], events: [], sessions: [] });
  });
});

describe('experiment exposure events', () => {
  it('name the experiment the person is in, also behind a partial rollout', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const data = generateDataset({
      seed: 7,
      now,
      days: 10,
      persons: 200,
      events: 8_000,
      experiments: [
        {
          flagKey: 'half-rollout',
          variants: [
            { key: 'control', rolloutPercentage: 25 },
            { key: 'test', rolloutPercentage: 25 },
          ],
          start: new Date('2026-11-11T00:00:00Z'),
          end: null,
        },
        {
          flagKey: 'everyone',
          variants: [
            { key: 'control', rolloutPercentage: 50 },
            { key: 'test', rolloutPercentage: 50 },
          ],
          start: new Date('2026-11-11T00:00:00Z'),
          end: null,
        },
      ],
    });
    const called = data.events.filter((e) => e.event === '$feature_flag_called');
    expect(called.length).toBeGreaterThan(0);
    for (const e of called) {
      expect(['half-rollout', 'everyone']).toContain(e.properties.$feature_flag);
      expect(['control', 'test']).toContain(e.properties.$feature_flag_response);
      // The session's own $feature/<key> property agrees with the exposure event.
      expect(e.properties[`$feature/${String(e.properties.$feature_flag)}`]).toBe(e.properties.$feature_flag_response);
    }
  });
});
