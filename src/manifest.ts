import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { SLASH_COMMAND } from './slack/commands.js';
import { BOT_SCOPES } from './slack/scopes.js';
import type { Registry } from './registry/registry.js';

export const MANIFEST_PATH = fileURLToPath(new URL('../manifest.yml', import.meta.url));
const PLACEHOLDER = 'https://hogbot.example.com';

/** The `/ph` usage hint, from the registry: its command families, most used first. */
export function usageHint(registry: Registry): string {
  const first = ['query', 'flag', 'annotate', 'recordings', 'person', 'whoami', 'help'];
  const families = [...new Set(registry.commands.map((c) => c.name.split(' ')[0]!))];
  const ordered = [...first.filter((f) => families.includes(f)), ...families.filter((f) => !first.includes(f)).sort()];
  const hint = `${ordered.join(' | ')} …`;
  return hint.length <= 100 ? hint : `${hint.slice(0, 98)} …`;
}

/** The Slack app manifest (https://api.slack.com/reference/manifests). Request URLs are placeholders to replace. */
/** PostHog Cloud's app hosts, plus POSTHOG_APP_URL's (a self-hosted instance) when it is another. */
export function unfurlDomains(posthogAppUrl?: string): string[] {
  const domains = ['us.posthog.com', 'eu.posthog.com'];
  let host: string | undefined;
  try {
    host = posthogAppUrl ? new URL(posthogAppUrl).hostname.toLowerCase() : undefined;
  } catch {
    host = undefined;
  }
  return host && !domains.includes(host) ? [...domains, host] : domains;
}

export function buildManifest(registry: Registry, opts: { posthogAppUrl?: string } = {}): Record<string, unknown> {
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Hogbot',
      description: 'PostHog from Slack: HogQL, feature flags, annotations, recordings and digests.',
      background_color: '#1d4aff',
    },
    features: {
      // The Messages tab is where private files (query CSVs and charts) arrive; read-only since /ph is the way in.
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: 'Hogbot', always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          url: `${PLACEHOLDER}/slack/events`,
          description: 'PostHog from Slack (try /ph help)',
          usage_hint: usageHint(registry),
          should_escape: true,
        },
      ],
      unfurl_domains: unfurlDomains(opts.posthogAppUrl),
    },
    oauth_config: {
      redirect_urls: [`${PLACEHOLDER}/slack/oauth_redirect`],
      scopes: { bot: [...BOT_SCOPES] },
    },
    settings: {
      event_subscriptions: { request_url: `${PLACEHOLDER}/slack/events`, bot_events: ['app_home_opened', 'link_shared'] },
      interactivity: { is_enabled: true, request_url: `${PLACEHOLDER}/slack/events` },
      org_deploy_enabled: true,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

export function renderManifest(registry: Registry, opts: { posthogAppUrl?: string } = {}): string {
  return `# Generated from the command registry by \`npm run manifest\`; edit src/manifest.ts, not this file.\n# Replace https://hogbot.example.com with your public URL (or enable Socket Mode for development).\n${stringify(buildManifest(registry, opts), { lineWidth: 0 })}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { loadRegistry } = await import('./registry/load.js');
  const text = renderManifest(await loadRegistry(), process.env.POSTHOG_APP_URL ? { posthogAppUrl: process.env.POSTHOG_APP_URL } : {});
  if (process.argv.includes('--check')) {
    const current = await readFile(MANIFEST_PATH, 'utf8');
    if (current !== text) {
      console.error('manifest.yml is out of date: run npm run manifest');
      process.exit(1);
    }
  } else {
    await writeFile(MANIFEST_PATH, text);
    console.log(`Wrote ${MANIFEST_PATH}`);
  }
}
