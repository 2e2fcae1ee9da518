/**
 * Events API listeners: App Home (`app_home_opened` -> views.publish) and link unfurls (`link_shared` -> chat.unfurl).
 * Slack redelivers an event it thinks went unanswered (`x-slack-retry-num`), with the same `event_id`: each event id
 * is remembered once in the store, so a retry, or the same event reaching two replicas, does the work once.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isUpstreamError } from '../posthog/errors.js';
import { buildContext, type Services } from './context.js';
import { publishHome } from './home.js';
import { cardFor, parsePostHogLink, type PostHogLink, type UnfurlOptions, unfurlHosts } from './unfurl.js';
import type { UnfurlCard } from '../../views/unfurl.js';
import { InsightNotFoundError } from '../scheduler/insights.js';
import { isNotConnected } from '../tenancy.js';

const EVENT_MEMORY_MS = 60 * 60_000;
/** Slack sends at most a handful of links per message; more would only slow the answer. */
const MAX_LINKS = 5;

interface Envelope {
  event_id?: string;
  team_id?: string;
  enterprise_id?: string;
}

/** True the first time this event id is seen (events without one are processed). */
export async function firstDelivery(services: Pick<Services, 'store' | 'now'>, body: Envelope): Promise<boolean> {
  if (!body.event_id) return true;
  const now = services.now();
  return services.store.rememberOnce(`slack-event:${body.event_id}`, now, new Date(now.getTime() + EVENT_MEMORY_MS));
}

function contextFor(services: Services, body: Envelope, userId: string, channelId: string | null, client: WebClient) {
  return buildContext(services, { teamId: body.team_id ?? '', enterpriseId: body.enterprise_id ?? null, userId, channelId, triggerId: null, responseUrl: null }, client);
}

export function registerEvents(app: App, services: Services, opts: UnfurlOptions = {}): void {
  app.event('app_home_opened', async ({ event, body, client, logger, context }) => {
    if (event.tab !== 'home') return;
    if (!(await firstDelivery(services, body))) {
      logger.info(`app_home_opened ${body.event_id} already handled (retry ${context.retryNum ?? 0})`);
      return;
    }
    try {
      await publishHome(contextFor(services, body, event.user, null, client));
    } catch (error) {
      logger.error('App Home: could not publish', error);
    }
  });

  app.event('link_shared', async ({ event, body, client, logger, context }) => {
    const hosts = unfurlHosts(services.config.posthogAppUrl);
    const links = event.links.map((l) => parsePostHogLink(l.url, hosts)).filter((l): l is PostHogLink => l !== null).slice(0, MAX_LINKS);
    if (links.length === 0) return;
    if (!(await firstDelivery(services, body))) {
      logger.info(`link_shared ${body.event_id} already handled (retry ${context.retryNum ?? 0})`);
      return;
    }
    const ctx = contextFor(services, body, event.user, event.channel, client);
    // The same connection rule as commands (src/tenancy.ts): a workspace that may use none gets no unfurl at all.
    let posthog: Awaited<ReturnType<typeof ctx.posthog>>;
    try {
      posthog = await ctx.posthog();
    } catch (error) {
      if (!isNotConnected(error)) throw error;
      logger.info(`unfurl: skipped ${links.length} link(s): workspace ${body.team_id ?? '?'} has no PostHog connection`);
      return;
    }
    const unfurls: Record<string, UnfurlCard> = {};
    for (const link of links) {
      try {
        const card = await cardFor(ctx, posthog, link, opts);
        if (card) unfurls[link.url] = card;
      } catch (error) {
        if (isUpstreamError(error) || error instanceof InsightNotFoundError) logger.info(`unfurl: skipped a ${link.kind} link (${isUpstreamError(error) ? error.kind : 'not found'})`);
        else logger.error(`unfurl: a ${link.kind} link failed`, error);
      }
    }
    if (Object.keys(unfurls).length === 0) return;
    const where = event.source === 'composer' && event.unfurl_id ? { unfurl_id: event.unfurl_id, source: 'composer' as const } : { channel: event.channel, ts: event.message_ts };
    try {
      await client.chat.unfurl({ ...where, unfurls } as Parameters<WebClient['chat']['unfurl']>[0]);
    } catch (error) {
      logger.error('unfurl: chat.unfurl failed', error);
    }
  });
}
