import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { namesOf } from '../../src/sandbox/escape-command.js';
import { WORKSPACES } from '../../src/sandbox/people.js';

// The page's modules are plain browser JavaScript; their pure parts run in Node too.
const publicUrl = (name: string) => pathToFileURL(`${process.cwd()}/src/sandbox/public/${name}`).href;
const { mrkdwn, localFileUrl } = (await import(publicUrl('mrkdwn.js'))) as {
  mrkdwn: (text: string, ctx?: object) => string;
  localFileUrl: (href: string, slackUrl: string) => string;
};
const { mentionSuggest } = (await import(publicUrl('composer.js'))) as {
  mentionSuggest: (text: string, caret: number, names: object) => Array<{ label: string; completion: string; caret: number }>;
};

const [ACME] = WORKSPACES;

describe('#channel and @member picker', () => {
  const names = namesOf(ACME!);
  it('offers the current workspace’s channels after # and members after @, never another workspace’s', () => {
    const text = '/ph digest add daily 09:00 #gr';
    const picks = mentionSuggest(text, text.length, names);
    expect(picks.map((p) => p.label)).toEqual(['#growth']);
    expect(picks[0]!.completion).toBe('/ph digest add daily 09:00 #growth ');
    expect(mentionSuggest('/ph digest add daily 09:00 #an', 30, names)).toEqual([]);
    expect(mentionSuggest('/ph access grant @', 18, names).map((p) => p.label)).toEqual(['@ana', '@max']);
    // An email address is not a mention.
    expect(mentionSuggest('/ph recordings ana@ac', 21, names)).toEqual([]);
  });

  it('keeps what follows the caret when a name is picked in the middle', () => {
    const text = '/ph access grant @m writer';
    const [pick] = mentionSuggest(text, '/ph access grant @m'.length, names);
    expect(pick!.completion).toBe('/ph access grant @max writer');
  });
});

describe('file links', () => {
  it('opens the local Slack’s url_private and permalink through the page’s /files/<id>', () => {
    expect(localFileUrl('http://127.0.0.1:5555/files/F0000001/query-result.csv', 'http://127.0.0.1:5555')).toBe('/files/F0000001');
    expect(localFileUrl('http://127.0.0.1:5555/files/F0000001', 'http://127.0.0.1:5555')).toBe('/files/F0000001');
    expect(localFileUrl('https://us.posthog.com/files/F1', 'http://127.0.0.1:5555')).toBe('https://us.posthog.com/files/F1');
    expect(
      mrkdwn('<http://127.0.0.1:5555/files/F0000001/query-chart.png|query-chart.png>', { slackUrl: 'http://127.0.0.1:5555' }),
    ).toContain('href="/files/F0000001"');
  });
});

describe('audit changes in words (issue 15 item 4)', async () => {
  const { changeText } = await import('../../views/audit.js');
  it('shows only the touched fields as before → after', () => {
    expect(changeText({ active: true }, { active: false, key: 'dark-mode', filters: { groups: [] } })).toBe('active: yes → *no*');
    expect(changeText({ rollout_percentage: 10, name: 'x' }, { rollout_percentage: 50, name: 'x' })).toBe('rollout percentage: 10 → *50*');
    expect(changeText(null, { key: 'new-flag', active: true, filters: {} })).toBe('created: key new-flag, active yes');
    expect(changeText({ key: 'gone' }, null)).toBe('deleted');
    expect(changeText('reader', 'writer')).toBe('reader → *writer*');
  });
});

describe('small things a newcomer noticed (issue 15 item 9)', async () => {
  const { longerSpan } = await import('../../views/recordings.js');
  const { personsListMessage } = await import('../../views/persons.js');
  const { personEntry } = await import('../../src/persons/entry.js');
  const { textOf } = await import('../rig/harness.js');

  it('suggests a longer recordings window than the empty one, never the same', () => {
    expect(longerSpan('7d')).toBe('30d');
    expect(longerSpan('24h')).toBe('7d');
    expect(longerSpan('30d')).toBe('90d');
    expect(longerSpan('2w')).toBe('30d');
    expect(longerSpan('3m')).toBeNull();
  });

  it('shows a person’s id once in the persons list', () => {
    const anonymous = {
      id: 'p1',
      uuid: 'p1',
      name: null,
      distinct_ids: ['018e36e6-8e30-7a37-ac28-284b18ae2e6b'],
      properties: {},
      created_at: '2026-12-01T00:00:00Z',
    };
    const known = {
      id: 'p2',
      uuid: 'p2',
      name: 'tomas@proton.me',
      distinct_ids: ['tomas@proton.me'],
      properties: { email: 'tomas@proton.me', name: 'Tomás' },
      created_at: '2026-12-01T00:00:00Z',
    };
    const text = textOf(
      personsListMessage({
        persons: ([anonymous, known] as never[]).map(personEntry),
        search: null,
        timeZone: 'UTC',
        page: { offset: 0, limit: 10, total: 2, nextOffset: null } as never,
      }),
    );
    expect(text.split('018e36e6-8e30-7a37-ac28-284b18ae2e6b').length - 1).toBe(1);
    expect(text.split('tomas@proton.me').length - 1).toBe(1);
  });
});
