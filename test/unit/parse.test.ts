import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/registry/command.js';
import { loadRegistry } from '../../src/registry/load.js';
import { parseInvocation } from '../../src/registry/parse.js';
import { Registry, RegistryError } from '../../src/registry/registry.js';

const noop = async () => ({ text: 'ok' });

const flagList = defineCommand({
  name: 'flag list',
  summary: 'flags',
  usage: '[search] [--active] [--limit N]',
  args: z.object({
    search: z.string().optional(),
    active: z.boolean().optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: noop,
});
const flagShow = defineCommand({
  name: 'flag',
  summary: 'one flag',
  usage: '<key>',
  args: z.object({ key: z.string() }),
  positional: ['key'],
  mutates: false,
  role: 'reader',
  run: noop,
});
const rollout = defineCommand({
  name: 'flag rollout',
  summary: 'rollout',
  usage: '<key> <percent>',
  args: z.object({ key: z.string(), percent: z.coerce.number().int().min(0).max(100) }),
  positional: ['key', 'percent'],
  mutates: false,
  role: 'reader',
  run: noop,
});
const query = defineCommand({
  name: 'query',
  summary: 'HogQL',
  args: z.object({ hogql: z.string(), limit: z.coerce.number().optional(), chart: z.enum(['line', 'bar']).optional() }),
  raw: 'hogql',
  mutates: false,
  role: 'reader',
  run: noop,
});
const registry = new Registry([flagList, flagShow, rollout, query]);

describe('parseInvocation', () => {
  it('picks the longest matching name and binds positionals', () => {
    const parsed = parseInvocation(registry, 'flag rollout new-checkout 25');
    expect(parsed).toMatchObject({
      kind: 'ok',
      command: { name: 'flag rollout' },
      args: { key: 'new-checkout', percent: 25 },
      share: false,
    });
    expect(parseInvocation(registry, 'flag new-checkout')).toMatchObject({
      kind: 'ok',
      command: { name: 'flag' },
      args: { key: 'new-checkout' },
    });
  });

  it('reads boolean and valued flags, --x=y, and the global --share', () => {
    const parsed = parseInvocation(registry, 'flag list check out --active --limit 5 --share');
    expect(parsed).toMatchObject({ kind: 'ok', args: { search: 'check out', active: true, limit: 5 }, share: true });
    expect(parseInvocation(registry, 'flag list --limit=7')).toMatchObject({ kind: 'ok', args: { limit: 7 } });
  });

  it('explains bad arguments with the field and the rule', () => {
    const parsed = parseInvocation(registry, 'flag rollout new-checkout 150');
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind !== 'invalid') return;
    expect(parsed.problems.join(' ')).toMatch(/<percent>.*100/);
    expect(parseInvocation(registry, 'flag rollout')).toMatchObject({
      kind: 'invalid',
      problems: ['<key> is required.', '<percent> is required.'],
    });
    expect(parseInvocation(registry, 'flag list --bogus')).toMatchObject({ kind: 'invalid', problems: ['Unknown option `--bogus`.'] });
    expect(parseInvocation(registry, 'flag list --limit')).toMatchObject({ kind: 'invalid', problems: ['`--limit` needs a value.'] });
    expect(parseInvocation(registry, 'flag a b')).toMatchObject({ kind: 'invalid', problems: ['Unexpected argument: `b`.'] });
  });

  it('suggests the closest command for a typo', () => {
    expect(parseInvocation(registry, 'falg off x')).toMatchObject({ kind: 'unknown', suggestions: ['flag'] });
    expect(parseInvocation(registry, 'quer SELECT 1')).toMatchObject({ kind: 'unknown', suggestions: ['query'] });
    expect(parseInvocation(registry, 'zzzzzz')).toMatchObject({ kind: 'unknown', suggestions: [] });
  });

  it('gives help for empty text and for "<command> help"', () => {
    expect(parseInvocation(registry, '')).toMatchObject({ kind: 'help', topic: null });
    expect(parseInvocation(registry, 'flag rollout help')).toMatchObject({ kind: 'help', topic: { name: 'flag rollout' } });
  });

  it('keeps raw HogQL intact, lifting only declared flags', () => {
    const text =
      "query SELECT event, count() FROM events WHERE properties.$browser = 'Chrome' -- hot\nAND x &lt; 3 --limit 5 --chart bar --share";
    const parsed = parseInvocation(registry, text);
    expect(parsed).toMatchObject({
      kind: 'ok',
      share: true,
      args: { hogql: "SELECT event, count() FROM events WHERE properties.$browser = 'Chrome' -- hot\nAND x < 3", limit: 5, chart: 'bar' },
    });
  });

  it('a rest field that is also the last positional takes every remaining word', async () => {
    const registry = await loadRegistry();
    expect(parseInvocation(registry, 'project use Acme Web')).toMatchObject({ kind: 'ok', args: { project: 'Acme Web' } });
  });

  it('leaves an unclosed quote in raw text to the raw command', () => {
    expect(parseInvocation(registry, "query SELECT 'abc")).toMatchObject({ kind: 'ok', args: { hogql: "SELECT 'abc" } });
  });

  it('reports an unclosed quote', () => {
    expect(parseInvocation(registry, 'flag "x')).toMatchObject({ kind: 'invalid', command: null });
  });
});

describe('Registry', () => {
  it('refuses duplicate names and aliases at construction', () => {
    expect(() => new Registry([flagShow, { ...flagList, name: 'flag' }])).toThrow(RegistryError);
    expect(() => new Registry([flagShow, { ...flagList, aliases: ['flag'] }])).toThrow(/Duplicate command name "flag"/);
  });

  it('loads every command module in commands/ without clashes', async () => {
    const loaded = await loadRegistry();
    const names = loaded.commands.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'help',
        'whoami',
        'projects',
        'project use',
        'connection list',
        'connection connect',
        'connection use',
        'connection show',
        'connection disconnect',
      ]),
    );
    for (const command of loaded.commands) expect(command.summary.length).toBeGreaterThan(0);
  });
});

// Issue 11 item 7: 40 KB of short words took ~2.8 s, joining every prefix of the input to look the command up.
describe('parsing long input', () => {
  it('looks up a bounded number of names, however long the input', async () => {
    const registry = await loadRegistry();
    const byName = (registry as unknown as { byName: Map<string, unknown> }).byName;
    const get = vi.spyOn(byName, 'get');
    const lookups = (text: string) => {
      get.mockClear();
      parseInvocation(registry, text);
      return get.mock.calls.length;
    };
    const short = lookups(`persons ${'ab '.repeat(1_000)}`);
    expect(short).toBeLessThanOrEqual(4);
    expect(lookups(`persons ${'ab '.repeat(100_000)}`)).toBe(short);
    expect(lookups(`zz ${'ab '.repeat(100_000)}`)).toBe(lookups(`zz ${'ab '.repeat(1_000)}`));
    get.mockRestore();
  });

  it('says what is wrong in a few lines, not one per pasted word', async () => {
    const registry = await loadRegistry();
    const parsed = parseInvocation(registry, `whoami ${'--x '.repeat(5_000)}`);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') {
      expect(parsed.problems.length).toBeLessThanOrEqual(6);
      expect(parsed.problems.at(-1)).toMatch(/more problems/);
    }
  });
});
