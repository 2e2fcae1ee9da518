import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const SECRET = 'sekrit-signing-0123456789abcdef0123';
const BOT = 'xoxb-1111-2222-abcdefghijkl';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('with no Slack credentials at all picks the sandbox', () => {
    expect(loadConfig({}).mode).toBe('sandbox');
  });

  it('HTTP mode with defaults for every optional setting', () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, MATON_API_KEY: 'mk' });
    expect(config).toMatchObject({
      mode: 'http',
      port: 3000,
      databaseUrl: './data/hogbot.sqlite',
      posthogAppUrl: 'https://us.posthog.com',
      maton: { baseUrl: 'https://api.maton.ai', apiKey: 'mk' },
      slack: { apiUrl: 'https://slack.com/api/' },
    });
    expect(config.secrets).toEqual(expect.arrayContaining([SECRET, BOT, 'mk']));
  });

  it('reads overrides and normalises URLs', () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT,
      MATON_API_KEY: 'mk',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
      MATON_BASE_URL: 'http://127.0.0.1:8/',
      POSTHOG_APP_URL: 'https://eu.posthog.com/',
      DATABASE_URL: 'postgres://db/hogbot',
      PORT: '0',
    });
    expect(config).toMatchObject({
      port: 0,
      databaseUrl: 'postgres://db/hogbot',
      posthogAppUrl: 'https://eu.posthog.com',
      maton: { baseUrl: 'http://127.0.0.1:8' },
      slack: { apiUrl: 'http://127.0.0.1:9/api/' },
    });
  });

  it('Socket Mode and OAuth modes', () => {
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_BOT_TOKEN: BOT, MATON_API_KEY: 'mk' }).mode).toBe('socket');
    const oauth = {
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'cs',
      SLACK_STATE_SECRET: 'a-long-state-secret',
      SLACK_SIGNING_SECRET: SECRET,
      MATON_API_KEY: 'mk',
    };
    expect(loadConfig(oauth).mode).toBe('oauth');
  });

  it('names every problem at once and never echoes a value', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-user-token-123456', PORT: 'eighty', MATON_BASE_URL: 'ftp://nope' });
    const joined = problems.join('\n');
    expect(joined).toMatch(/SLACK_BOT_TOKEN must be a bot token/);
    expect(joined).toMatch(/PORT must be a port number/);
    expect(joined).toMatch(/MATON_BASE_URL must be an http\(s\) URL/);
    expect(joined).not.toContain('xoxp-user-token-123456');
  });

  it('explains what an incomplete mode is missing', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: BOT })).toEqual([
      'SLACK_SIGNING_SECRET is missing: HTTP mode verifies every request with it',
      'MATON_API_KEY is required: Hogbot reaches PostHog only through the Maton gateway',
    ]);
    expect(problemsOf({ SLACK_CLIENT_ID: '1.2', SLACK_SIGNING_SECRET: SECRET, MATON_API_KEY: 'mk' }).join('\n')).toMatch(
      /SLACK_CLIENT_SECRET is missing[\s\S]*SLACK_STATE_SECRET is missing/,
    );
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1-abc', MATON_API_KEY: 'mk' })).toEqual([
      'SLACK_BOT_TOKEN is missing: Socket Mode needs it beside SLACK_APP_TOKEN',
    ]);
  });

  // Issue 11 item 6: a 1-character secret let a blind forgery through on the 82nd try.
  it("refuses a signing secret shorter than Slack's 32 characters, without quoting it", () => {
    for (const short of ['x', 'a'.repeat(31)]) {
      const problems = problemsOf({ SLACK_SIGNING_SECRET: short, SLACK_BOT_TOKEN: BOT, MATON_API_KEY: 'mk' });
      expect(problems).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET is too short: Slack signing secrets are 32 characters/)]);
      if (short.length > 1) expect(problems.join('\n')).not.toContain(short);
    }
    expect(loadConfig({ SLACK_SIGNING_SECRET: 'a'.repeat(32), SLACK_BOT_TOKEN: BOT, MATON_API_KEY: 'mk' }).slack.signingSecret).toBe(
      'a'.repeat(32),
    );
  });

  it('the error message lists the problems for the console', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: BOT })).toThrow(/Hogbot cannot start:\n {2}- SLACK_SIGNING_SECRET/);
  });
});
