import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../commands/annotate.js';
import { parseVariants, validateCreate } from '../../commands/flag.js';

// Monday 10 March 2025, 05:00 in Los Angeles: the day after the US switched to daylight saving time (9 March, 02:00).
const NOW = new Date('2025-03-10T12:00:00Z');
const LA = 'America/Los_Angeles';
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('parseWhen: dates as the user means them, in their time zone', () => {
  it('reads relative days with a time on the user’s wall clock, daylight saving included', () => {
    expect(iso(parseWhen('yesterday 14:00', LA, NOW))).toBe('2025-03-09T21:00:00.000Z');
    expect(iso(parseWhen('yesterday 01:30', LA, NOW))).toBe('2025-03-09T09:30:00.000Z');
    expect(iso(parseWhen('Yesterday at 2pm', LA, NOW))).toBe('2025-03-09T21:00:00.000Z');
    expect(iso(parseWhen('today 9am', LA, NOW))).toBe('2025-03-10T16:00:00.000Z');
    expect(iso(parseWhen('tomorrow 12:15 am', LA, NOW))).toBe('2025-03-11T07:15:00.000Z');
    expect(iso(parseWhen('yesterday 14:00', 'Europe/Berlin', NOW))).toBe('2025-03-09T13:00:00.000Z');
    expect(iso(parseWhen('yesterday', 'UTC', NOW))).toBe('2025-03-09T00:00:00.000Z');
    expect(iso(parseWhen('16:45', LA, NOW))).toBe('2025-03-10T23:45:00.000Z');
  });

  it('reads ISO dates in the user’s zone unless they carry an offset', () => {
    expect(iso(parseWhen('2025-03-01', LA, NOW))).toBe('2025-03-01T08:00:00.000Z');
    expect(iso(parseWhen('2025-03-01 14:00', LA, NOW))).toBe('2025-03-01T22:00:00.000Z');
    expect(iso(parseWhen('2025-03-01T14:00:30', LA, NOW))).toBe('2025-03-01T22:00:30.000Z');
    expect(iso(parseWhen('2025-03-01T14:00:00Z', LA, NOW))).toBe('2025-03-01T14:00:00.000Z');
    expect(iso(parseWhen('2025-03-01T14:00:00.000Z', LA, NOW))).toBe('2025-03-01T14:00:00.000Z');
    expect(iso(parseWhen('2025-03-01T14:00+02:00', LA, NOW))).toBe('2025-03-01T12:00:00.000Z');
  });

  it('reads "now" and "N units ago"', () => {
    expect(iso(parseWhen('now', LA, NOW))).toBe(NOW.toISOString());
    expect(iso(parseWhen('3 hours ago', LA, NOW))).toBe('2025-03-10T09:00:00.000Z');
    expect(iso(parseWhen('2 days ago', LA, NOW))).toBe('2025-03-08T12:00:00.000Z');
    expect(iso(parseWhen('45 min ago', LA, NOW))).toBe('2025-03-10T11:15:00.000Z');
  });

  it('refuses what is not a date rather than guessing', () => {
    for (const text of ['someday', 'yesterday 14', 'yesterday 25:00', '2025-02-30', '2025-13-01', 'today 13pm', '14:61']) {
      expect(parseWhen(text, LA, NOW), text).toBeNull();
    }
  });
});

describe('flag create inputs', () => {
  it('parses variants and requires their splits to add up to 100', () => {
    expect(parseVariants('control=50, test=50')).toEqual({
      variants: [
        { key: 'control', percent: 50 },
        { key: 'test', percent: 50 },
      ],
    });
    expect(parseVariants('a: 34\nb 33\nc=33%')).toEqual({
      variants: [
        { key: 'a', percent: 34 },
        { key: 'b', percent: 33 },
        { key: 'c', percent: 33 },
      ],
    });
    expect(parseVariants('')).toEqual({ variants: [] });
    expect(parseVariants('control=50\ntest=40')).toEqual({ error: 'The splits add up to 90%; they must add up to 100%.' });
    expect(parseVariants('only=100')).toEqual({ error: 'A multivariate flag needs at least two variants.' });
    expect(parseVariants('a=50,a=50')).toEqual({ error: 'Variant “a” appears twice.' });
    expect(parseVariants('a=half,b=50')).toEqual({ error: '“a=half” is not key=percent (for example control=50).' });
  });

  it('validates key, rollout and variants together, field by field', () => {
    expect(validateCreate({ key: 'new-flag', rollout: '25%', name: ' Pricing ', variants: null })).toEqual({
      data: { key: 'new-flag', name: 'Pricing', rollout: 25, variants: [] },
    });
    expect(validateCreate({ key: '', rollout: '150', variants: 'a=1,b=2' })).toEqual({
      errors: {
        key: 'A key is required.',
        rollout: 'A whole number from 0 to 100.',
        variants: 'The splits add up to 3%; they must add up to 100%.',
      },
    });
    expect(validateCreate({ key: 'bad key' })).toEqual({ errors: { key: 'Only letters, numbers, hyphens (-) and underscores (_).' } });
  });
});
