import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
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

export function clientFor(
  fake: FakeSlack,
  /** null: a client with no token at all. */
  token: string | null = DEFAULT_BOT_TOKEN,
  options: WebClientOptions = {},
): WebClient {
  return new WebClient(token ?? undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger, ...options });
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
