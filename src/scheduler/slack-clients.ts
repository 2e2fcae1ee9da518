/**
 * A Web API client for a workspace when no Slack request is at hand (the scheduler): the bot token in single-workspace
 * modes, else the token its installation stored (OAuth mode).
 */
import type { Installation } from '@slack/bolt';
import { WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import { observeUpstream } from '../metrics.js';
import { installationKey } from '../store/installation-store.js';
import type { Store } from '../store/store.js';

export type SlackClientFor = (teamId: string, enterpriseId: string | null) => Promise<WebClient>;

export class NoInstallationError extends Error {
  override readonly name = 'NoInstallationError';
}

export function createSlackClients(opts: {
  botToken: string | null;
  store: Pick<Store, 'getInstallation'>;
  clientOptions: WebClientOptions;
}): SlackClientFor {
  const clients = new Map<string, WebClient>();
  const clientFor = (token: string) => {
    let client = clients.get(token);
    if (!client) {
      client = new WebClient(token, opts.clientOptions);
      // Slack's 429s, including those the client waits out and retries by itself.
      client.on(WebClientEvent.RATE_LIMITED, () => observeUpstream('slack', 429));
      clients.set(token, client);
    }
    return client;
  };
  return async (teamId, enterpriseId) => {
    if (opts.botToken) return clientFor(opts.botToken);
    // A workspace's own install first, then its org's org-wide install.
    for (const key of [
      installationKey({ teamId }),
      installationKey({ isEnterpriseInstall: true, enterpriseId: enterpriseId ?? undefined }),
    ]) {
      if (!key) continue;
      const found = (await opts.store.getInstallation(key)) as Installation | null;
      const token = found?.bot?.token;
      if (token) return clientFor(token);
    }
    throw new NoInstallationError(`Hogbot is not installed in workspace ${teamId}`);
  };
}
