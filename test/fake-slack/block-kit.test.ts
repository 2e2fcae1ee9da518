import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockTextLength, checkMessage, startFakeSlack, type FakeSlack } from '../../src/fake-slack/index.js';
import { clientFor, slackError } from './helpers.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });
const cell = (text: string) => ({ type: 'raw_text', text });
const table = (rows: number, cells: number) => ({
  type: 'table',
  rows: Array.from({ length: rows }, (_, r) => Array.from({ length: cells }, (_, c) => cell(`${r}:${c}`))),
});

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = clientFor(fake);
});

afterAll(async () => {
  await fake.close();
});

/** Posts `blocks` and returns Slack's error name, or 'ok'. */
async function post(blocks: unknown[]): Promise<string> {
  try {
    await client.apiCall('chat.postMessage', { channel: 'C1', text: 'fallback', blocks });
    return 'ok';
  } catch (error) {
    return slackError(Promise.reject(error));
  }
}

describe('message limits, as Slack rejects them', () => {
  it.each([
    ['50 blocks', Array.from({ length: 50 }, () => ({ type: 'divider' })), 'ok'],
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), 'invalid_blocks'],
    ['section text of 3000', [section('x'.repeat(3000))], 'ok'],
    ['section text of 3001', [section('x'.repeat(3001))], 'invalid_blocks'],
    ['header of 150', [header('h'.repeat(150))], 'ok'],
    ['header of 151', [header('h'.repeat(151))], 'invalid_blocks'],
    ['one table of 100 x 20', [table(100, 20)], 'ok'],
    ['two tables', [table(1, 1), table(1, 1)], 'invalid_blocks'],
    ['a table of 101 rows', [table(101, 1)], 'invalid_blocks'],
    ['a row of 21 cells', [table(1, 21)], 'invalid_blocks'],
    ['a block without a type', [{ text: { type: 'mrkdwn', text: 'x' } }], 'invalid_blocks'],
    ['5 sections of 2900 chars', Array.from({ length: 5 }, () => section('y'.repeat(2900))), 'msg_blocks_too_long'],
  ])('%s -> %s', async (_label, blocks, expected) => {
    expect(await post(blocks)).toBe(expected);
  });

  it('records rejected calls with the error, so tests can assert nothing broke a limit', async () => {
    fake.reset();
    await post([section('x'.repeat(3001))]);
    await post([section('fine')]);
    const rejected = fake.calls.filter((c) => !c.ok);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ method: 'chat.postMessage', error: 'invalid_blocks' });
    expect(rejected[0]?.result.response_metadata).toEqual({
      messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('answers invalid_blocks_format for blocks that are not JSON', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-test-fake-slack' },
      body: new URLSearchParams({ channel: 'C1', text: 't', blocks: '[{"type":' }).toString(),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
  });

  it('applies the same checks to chat.update', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 't' });
    const error = await slackError(client.apiCall('chat.update', { channel: 'C1', ts: posted.ts, blocks: [header('h'.repeat(151))] }));
    expect(error).toBe('invalid_blocks');
  });
});

describe('view limits', () => {
  const modal = (blocks: unknown[], title = 'Title') => ({
    type: 'modal',
    title: { type: 'plain_text', text: title },
    blocks,
  });

  it('allows 100 blocks in a modal and rejects 101 with invalid_arguments', async () => {
    const divider = { type: 'divider' };
    expect((await client.apiCall('views.open', { trigger_id: 't', view: modal(Array(100).fill(divider)) })).ok).toBe(true);
    expect(await slackError(client.apiCall('views.open', { trigger_id: 't', view: modal(Array(101).fill(divider)) }))).toBe(
      'invalid_arguments',
    );
  });

  it('rejects a modal title over 24 characters', async () => {
    expect(await slackError(client.apiCall('views.open', { trigger_id: 't', view: modal([], 'x'.repeat(25)) }))).toBe('invalid_arguments');
  });
});

describe('checkMessage (pure)', () => {
  it('counts every text string in the tree toward the block text budget', () => {
    expect(blockTextLength([section('abc'), { type: 'context', elements: [{ type: 'mrkdwn', text: 'de' }] }])).toBe(5);
  });

  it('honours a custom block text limit', () => {
    expect(checkMessage({ blocks: [section('x'.repeat(20))] }, 10)?.error).toBe('msg_blocks_too_long');
    expect(checkMessage({ blocks: [section('x'.repeat(10))] }, 10)).toBeUndefined();
  });

  it('flags buttons whose value exceeds 2000 characters', () => {
    const actions = {
      type: 'actions',
      elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Go' }, value: 'v'.repeat(2001) }],
    };
    expect(checkMessage({ blocks: [actions] })).toEqual({
      error: 'invalid_blocks',
      messages: ['[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
    });
  });
});
