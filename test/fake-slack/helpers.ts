import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import type { FakeSlack } from '../../src/fake-slack/index.js';
import { DEFAULT_BOT_TOKEN } from '../../src/fake-slack/index.js';

/** WebClient logs Slack's `[ERROR]` response messages; the rejection tests expect them, so keep output quiet. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export function clientFor(fake: FakeSlack, token: string | undefined = DEFAULT_BOT_TOKEN): WebClient {
  return new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
}

/** The Slack error name from a rejected WebClient call. */
export async function slackError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
    throw error;
  }
  throw new Error('expected the Slack call to fail, but it succeeded');
}
