import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_TOKEN, FakeSlackWaitTimeoutError, isResponse, startFakeSlack, type FakeSlack } from '../../src/fake-slack/index.js';
import { clientFor } from './helpers.js';

let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});

beforeEach(() => {
  fake.reset();
});

afterAll(async () => {
  await fake.close();
});

describe('waitFor', () => {
  it('resolves with an event recorded before the wait began', async () => {
    await clientFor(fake).chat.postMessage({ channel: 'C1', text: 'early' });
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.text === 'early');
    expect(call.args.channel).toBe('C1');
  });

  it('resolves with an event recorded while waiting', async () => {
    const url = fake.responseUrl();
    const waiting = fake.waitFor(isResponse, { timeoutMs: 5000 });
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"later"}' });
    const response = await waiting;
    expect(response.body.text).toBe('later');
  });

  it('rejects on timeout with a message listing what was recorded, without tokens', async () => {
    await clientFor(fake).chat.postMessage({ channel: 'C1', text: 'something else' });
    const error = await fake.waitForCall('views.open', undefined, { timeoutMs: 50 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FakeSlackWaitTimeoutError);
    const message = (error as Error).message;
    expect(message).toContain('within 50 ms');
    expect(message).toContain('call chat.postMessage ok channel=C1 text="something else"');
    expect(message).not.toContain(DEFAULT_BOT_TOKEN);
    expect((error as FakeSlackWaitTimeoutError).recorded).toHaveLength(1);
  });

  it('says so when nothing at all was recorded', async () => {
    await expect(fake.waitFor(() => true, { timeoutMs: 20 })).rejects.toThrow('Recorded (0):\n  (nothing)');
  });
});
