/**
 * Events API listeners: App Home (`app_home_opened` -> views.publish) and link unfurls (`link_shared` -> chat.unfurl).
 * Slack redelivers an event it thinks went unanswered (`x-slack-retry-num`), with the same `event_id`: each event id
 * is remembered once in the store, so a retry, or the same event reaching two replicas, does the work once.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { callerStanding, guestRefusal } from '../access.js';
import { isUpstreamError } from '../posthog/errors.js';
import { buildContext, type Services } from './context.js';
import { publishHome } from './home.js';
import { withoutUrlImages } from '../images/fallback.js';
import { cardFor, parsePostHogLink, type PostHogLink, type UnfurlOptions, unfurlHosts } from './unfurl.js';
import type { UnfurlCard } from '../../views/unfurl.js';
import { InsightNotFoundError } from '../scheduler/insights.js';
import { isNotConnected } from '../tenancy.js';
import { slackErrorCode } from '../slack-error.js';

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
  return buildContext(
    services,
    { teamId: body.team_id ?? '', enterpriseId: body.enterprise_id ?? null, userId, channelId, triggerId: null, responseUrl: null },
    client,
  );
}

/** The cards with their chart URLs replaced by a note; null when none had one. */
function withoutChartUrls(cards: Record<string, UnfurlCard>): Record<string, UnfurlCard> | null {
  let changed = false;
  const out: Record<string, UnfurlCard> = {};
  for (const [url, card] of Object.entries(cards)) {
    const blocks = withoutUrlImages(card.blocks);
    if (blocks) changed = true;
    out[url] = { blocks: blocks ?? card.blocks };
  }
  return changed ? out : null;
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
    const links = event.links
      .map((l) => parsePostHogLink(l.url, hosts))
      .filter((l): l is PostHogLink => l !== null)
      .slice(0, MAX_LINKS);
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
    // A card would show PostHog data to the whole channel: a guest's links (or an unresolvable poster's) stay plain
    // unless the workspace allows guests (the rule is in src/access.ts).
    const { info, guestsAllowed } = await callerStanding(ctx);
    if (guestRefusal(info, guestsAllowed, 'A link preview') !== null) {
      logger.info(`link_shared ${body.event_id ?? ''}: not unfurled, the poster is a guest`);
      return;
    }
    const unfurls: Record<string, UnfurlCard> = {};
    // A chart without PUBLIC_URL is shared in the link's thread; a composer preview has no message yet.
    const thread =
      event.source !== 'composer' && event.channel && event.message_ts ? { channel: event.channel, ts: event.message_ts } : null;
    for (const link of links) {
      try {
        const card = await cardFor(ctx, posthog, link, { ...opts, ...(thread ? { thread } : {}) });
        if (card) unfurls[link.url] = card;
      } catch (error) {
        if (isUpstreamError(error) || error instanceof InsightNotFoundError)
          logger.info(`unfurl: skipped a ${link.kind} link (${isUpstreamError(error) ? error.kind : 'not found'})`);
        else logger.error(`unfurl: a ${link.kind} link failed`, error);
      }
    }
    if (Object.keys(unfurls).length === 0) return;
    const where =
      event.source === 'composer' && event.unfurl_id
        ? { unfurl_id: event.unfurl_id, source: 'composer' as const }
        : { channel: event.channel, ts: event.message_ts };
    const unfurl = (cards: Record<string, UnfurlCard>) =>
      client.chat.unfurl({ ...where, unfurls: cards } as Parameters<WebClient['chat']['unfurl']>[0]);
    try {
      await unfurl(unfurls);
    } catch (error) {
      // Slack refuses the unfurl when it can't download a chart from PUBLIC_URL: unfurl again without the pictures.
      const plain = slackErrorCode(error) === 'invalid_blocks' ? withoutChartUrls(unfurls) : null;
      if (plain) await unfurl(plain).catch((again: unknown) => logger.error('unfurl: chat.unfurl failed', again));
      else logger.error('unfurl: chat.unfurl failed', error);
    }
  });
}
