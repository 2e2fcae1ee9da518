import { z } from 'zod';

/**
 * How Hogbot talks to Slack:
 * - `http`: one workspace, signed requests on POST /slack/events (production, Marketplace).
 * - `socket`: one workspace over Socket Mode (development behind a firewall).
 * - `oauth`: many workspaces, installed through /slack/install, tokens kept in our database.
 * - `sandbox`: no Slack credentials at all: the local emulator and a built-in Slack page.
 */
export type SlackMode = 'http' | 'socket' | 'oauth' | 'sandbox';

export interface AppConfig {
  mode: SlackMode;
  slack: {
    signingSecret: string | null;
    botToken: string | null;
    appToken: string | null;
    clientId: string | null;
    clientSecret: string | null;
    stateSecret: string | null;
    apiUrl: string;
  };
  maton: { apiKey: string | null; baseUrl: string };
  posthogAppUrl: string;
  /**
   * Where Slack can reach this server from the internet (`PUBLIC_URL`), for chart images served at signed URLs
   * (src/images/). Null: images are shared as Slack file uploads instead.
   */
  publicUrl: string | null;
  databaseUrl: string;
  /** Where the replicas' shared rate budget lives instead of the database (REDIS_URL). */
  redisUrl?: string | null;
  port: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Every secret value, so the logger can scrub them wherever they appear. */
  secrets: string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Hogbot cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const httpUrl = (label: string) =>
  z
    .string()
    .trim()
    .refine((s) => {
      try {
        return ['http:', 'https:'].includes(new URL(s).protocol);
      } catch {
        return false;
      }
    }, `${label} must be an http(s) URL`);

/**
 * Slack's signing secrets are 32 characters. A shorter one is a typo or a stand-in, and a forged signature under a
 * 1-character secret was accepted on the 82nd blind try: refuse to start rather than verify requests with it.
 */
export const MIN_SIGNING_SECRET_LENGTH = 32;

/** Issue messages name the variable and the rule; they never quote the value, which may be a secret. */
const envSchema = z.object({
  SLACK_SIGNING_SECRET: optionalText.refine(
    (s) => s === undefined || s.length >= MIN_SIGNING_SECRET_LENGTH,
    `is too short: Slack signing secrets are ${MIN_SIGNING_SECRET_LENGTH} characters (copy it from your app's Basic Information page)`,
  ),
  SLACK_BOT_TOKEN: optionalText.refine((s) => s === undefined || s.startsWith('xoxb-'), 'must be a bot token (starts with xoxb-)'),
  SLACK_APP_TOKEN: optionalText.refine((s) => s === undefined || s.startsWith('xapp-'), 'must be an app-level token (starts with xapp-)'),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText.refine((s) => s === undefined || s.length >= 16, 'must be at least 16 characters'),
  SLACK_API_URL: optionalText.pipe(httpUrl('SLACK_API_URL').optional()),
  MATON_API_KEY: optionalText,
  MATON_BASE_URL: optionalText.pipe(httpUrl('MATON_BASE_URL').optional()),
  POSTHOG_APP_URL: optionalText.pipe(httpUrl('POSTHOG_APP_URL').optional()),
  PUBLIC_URL: optionalText.pipe(httpUrl('PUBLIC_URL').optional()),
  DATABASE_URL: optionalText,
  REDIS_URL: optionalText.refine((s) => s === undefined || /^rediss?:\/\//i.test(s), 'must be a redis:// or rediss:// URL'),
  PORT: optionalText
    .refine((s) => s === undefined || (/^\d+$/.test(s) && Number(s) <= 65535), 'must be a port number (0-65535)')
    .transform((s) => (s === undefined ? undefined : Number(s))),
  LOG_LEVEL: optionalText.pipe(z.enum(['debug', 'info', 'warn', 'error']).optional()),
});

type Env = Record<string, string | undefined>;

/** Reads and checks the environment. Throws one ConfigError naming every problem at once. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const present = (name: keyof z.infer<typeof envSchema>) => Boolean(env[name]?.trim());
  const mode = pickMode(present, problems);
  if (mode !== 'sandbox' && !present('MATON_API_KEY')) {
    problems.push('MATON_API_KEY is required: Hogbot reaches PostHog only through the Maton gateway');
  }
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) problems.unshift(...parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const secrets = [
    e.SLACK_SIGNING_SECRET,
    e.SLACK_BOT_TOKEN,
    e.SLACK_APP_TOKEN,
    e.SLACK_CLIENT_SECRET,
    e.SLACK_STATE_SECRET,
    e.MATON_API_KEY,
    e.REDIS_URL,
  ].filter((s): s is string => Boolean(s));
  return {
    mode,
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET ?? null,
      botToken: e.SLACK_BOT_TOKEN ?? null,
      appToken: e.SLACK_APP_TOKEN ?? null,
      clientId: e.SLACK_CLIENT_ID ?? null,
      clientSecret: e.SLACK_CLIENT_SECRET ?? null,
      stateSecret: e.SLACK_STATE_SECRET ?? null,
      apiUrl: withTrailingSlash(e.SLACK_API_URL ?? DEFAULT_SLACK_API_URL),
    },
    maton: { apiKey: e.MATON_API_KEY ?? null, baseUrl: withoutTrailingSlash(e.MATON_BASE_URL ?? 'https://api.maton.ai') },
    posthogAppUrl: withoutTrailingSlash(e.POSTHOG_APP_URL ?? 'https://us.posthog.com'),
    publicUrl: e.PUBLIC_URL ? withoutTrailingSlash(e.PUBLIC_URL) : null,
    databaseUrl: e.DATABASE_URL ?? './data/hogbot.sqlite',
    redisUrl: e.REDIS_URL ?? null,
    port: e.PORT ?? 3000,
    logLevel: e.LOG_LEVEL ?? 'info',
    secrets,
  };
}

type Present = (name: keyof z.infer<typeof envSchema>) => boolean;

function pickMode(present: Present, problems: string[]): SlackMode {
  const oauthVars = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const anyOauth = oauthVars.some(present);
  const anySlack = anyOauth || present('SLACK_SIGNING_SECRET') || present('SLACK_BOT_TOKEN') || present('SLACK_APP_TOKEN');
  if (!anySlack) return 'sandbox';

  if (anyOauth) {
    for (const name of oauthVars) {
      if (!present(name))
        problems.push(`${name} is missing: multi-workspace OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET`);
    }
    if (!present('SLACK_SIGNING_SECRET'))
      problems.push('SLACK_SIGNING_SECRET is missing: OAuth mode receives signed requests on /slack/events');
    if (present('SLACK_BOT_TOKEN'))
      problems.push('SLACK_BOT_TOKEN must not be set in OAuth mode: each workspace gets its own token when it installs the app');
    return 'oauth';
  }
  if (present('SLACK_APP_TOKEN')) {
    if (!present('SLACK_BOT_TOKEN')) problems.push('SLACK_BOT_TOKEN is missing: Socket Mode needs it beside SLACK_APP_TOKEN');
    return 'socket';
  }
  if (!present('SLACK_SIGNING_SECRET')) problems.push('SLACK_SIGNING_SECRET is missing: HTTP mode verifies every request with it');
  if (!present('SLACK_BOT_TOKEN')) problems.push('SLACK_BOT_TOKEN is missing: HTTP mode needs the bot token (xoxb-...)');
  return 'http';
}

const withTrailingSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');
