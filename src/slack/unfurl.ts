/**
 * Link unfurls: a PostHog app URL posted in Slack (flag, insight, dashboard, experiment, recording) becomes a summary
 * card, read through the workspace's own connection. Links that can't be read (another account's project, a deleted
 * object) are left to Slack's plain preview: an unfurl must never say more than the connection may see.
 */
import { z } from 'zod';
import { formatDuration } from '../../views/when.js';
import { dashboardCard, experimentCard, flagCard, insightCard, recordingCard, type UnfurlCard } from '../../views/unfurl.js';
import { experimentSchema, statusOf, variantsOf } from '../experiments/experiment.js';
import { personLabel, recordingSchema } from '../persons/schemas.js';
import { dashboardSchema } from '../posthog/content-schemas.js';
import type { PostHogClient } from '../posthog/client.js';
import { publishImage } from '../images/publish.js';
import { path } from '../posthog/path.js';
import type { CommandContext } from '../registry/command.js';
import { type ChartRenderer, renderChartModel, sparkline } from '../scheduler/charts.js';
import { chartSummary } from '../scheduler/digest.js';
import { fetchInsight, insightChart, insightKind, insightTitle } from '../scheduler/insights.js';

export type LinkKind = 'flag' | 'insight' | 'dashboard' | 'experiment' | 'recording';

export interface PostHogLink {
  kind: LinkKind;
  url: string;
  projectId: number;
  id: string;
}

const PATHS: Array<[LinkKind, RegExp]> = [
  ['flag', /^\/project\/(\d+)\/feature_flags\/(\d+)\/?$/],
  ['insight', /^\/project\/(\d+)\/insights\/([A-Za-z0-9]{1,32})(?:\/edit)?\/?$/],
  ['dashboard', /^\/project\/(\d+)\/dashboard\/(\d+)\/?$/],
  ['experiment', /^\/project\/(\d+)\/experiments\/(\d+)\/?$/],
  ['recording', /^\/project\/(\d+)\/replay\/([A-Za-z0-9-]{1,100})\/?$/],
];

export const POSTHOG_CLOUD_HOSTS = ['us.posthog.com', 'eu.posthog.com', 'app.posthog.com'];

/** The hosts Hogbot unfurls: PostHog Cloud's and the configured POSTHOG_APP_URL's. */
export function unfurlHosts(appUrl: string): string[] {
  const hosts = new Set(POSTHOG_CLOUD_HOSTS);
  try {
    hosts.add(new URL(appUrl).hostname.toLowerCase());
  } catch {
    // config.ts validated it; nothing to add otherwise.
  }
  return [...hosts];
}

export function parsePostHogLink(url: string, hosts: readonly string[]): PostHogLink | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || !hosts.includes(parsed.hostname.toLowerCase())) return null;
  for (const [kind, pattern] of PATHS) {
    const match = pattern.exec(parsed.pathname);
    if (match) return { kind, url, projectId: Number(match[1]), id: match[2]! };
  }
  return null;
}

const flagSchema = z.looseObject({
  id: z.number(),
  key: z.string(),
  name: z.string().nullish(),
  active: z.boolean(),
  deleted: z.boolean().nullish(),
  updated_at: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  filters: z
    .looseObject({
      groups: z.array(z.looseObject({ properties: z.array(z.unknown()).nullish(), rollout_percentage: z.number().nullish() })).nullish(),
      multivariate: z.looseObject({ variants: z.array(z.unknown()) }).nullish(),
    })
    .nullish(),
});

function rolloutOf(filters: z.infer<typeof flagSchema>['filters']): string {
  const groups = filters?.groups ?? [];
  const variants = filters?.multivariate?.variants.length ?? 0;
  const suffix = variants > 0 ? ` · ${variants} variants` : '';
  const only = groups[0];
  if (groups.length === 1 && only && (only.properties ?? []).length === 0) return `${only.rollout_percentage ?? 100}% of everyone${suffix}`;
  if (groups.length === 0) return `no release conditions${suffix}`;
  return `${groups.length} release conditions${suffix}`;
}

export interface UnfurlOptions {
  renderChart?: ChartRenderer;
  /** The message that carries the link, where a chart can be shared in a thread when no PUBLIC_URL is set. */
  thread?: { channel: string; ts: string };
}

/** One card, or null for a link that isn't there (deleted) or can't be read. */
export async function cardFor(
  ctx: CommandContext,
  posthog: PostHogClient,
  link: PostHogLink,
  opts: UnfurlOptions = {},
): Promise<UnfurlCard | null> {
  const pid = link.projectId;
  switch (link.kind) {
    case 'flag': {
      const flag = await posthog.request('GET', path`/api/projects/${pid}/feature_flags/${link.id}/`, flagSchema);
      if (flag.deleted) return null;
      return flagCard({
        url: link.url,
        key: flag.key,
        name: flag.name ?? '',
        active: flag.active,
        rollout: rolloutOf(flag.filters),
        updatedAt: flag.updated_at ?? null,
        tags: flag.tags ?? [],
      });
    }
    case 'insight': {
      const insight = await fetchInsight(posthog, pid, link.id);
      const chart = insightChart(insight);
      const image = chart
        ? await chartImage(
            ctx,
            await (opts.renderChart ?? renderChartModel)({ ...chart, size: { width: 560, height: 240 } }),
            insightTitle(insight),
            opts.thread,
          )
        : null;
      return insightCard({
        url: link.url,
        name: insightTitle(insight),
        description: insight.description ?? null,
        summary: chart ? chartSummary(chart) : null,
        sparkline: chart ? sparkline(chart.series[0]?.values ?? []) : null,
        imageUrl: image?.imageUrl ?? null,
        chartInThread: image?.inThread ?? false,
        kind: insightKind(insight),
      });
    }
    case 'dashboard': {
      const dashboard = await posthog.request('GET', path`/api/projects/${pid}/dashboards/${link.id}/`, dashboardSchema);
      const tiles = (dashboard.tiles ?? []).filter((t) => !t.deleted && t.insight).map((t) => insightTitle(t.insight!));
      return dashboardCard({
        url: link.url,
        name: dashboard.name || `Dashboard ${dashboard.id}`,
        description: dashboard.description ?? null,
        tiles,
        pinned: dashboard.pinned ?? false,
      });
    }
    case 'experiment': {
      const e = await posthog.request('GET', path`/api/projects/${pid}/experiments/${link.id}/`, experimentSchema);
      return experimentCard({
        url: link.url,
        name: e.name,
        status: statusOf(e),
        flagKey: e.feature_flag_key,
        startDate: e.start_date ?? null,
        endDate: e.end_date ?? null,
        variants: variantsOf(e).map((v) => v.key),
      });
    }
    case 'recording': {
      const r = await posthog.request('GET', path`/api/projects/${pid}/session_recordings/${link.id}/`, recordingSchema);
      const person = r.person
        ? personLabel({
            name: r.person.name ?? null,
            properties: r.person.properties ?? null,
            distinct_ids: r.person.distinct_ids ?? [r.distinct_id ?? 'anonymous'],
          })
        : (r.distinct_id ?? 'an anonymous visitor');
      return recordingCard({
        url: link.url,
        person,
        duration: formatDuration(r.recording_duration ?? 0),
        start: r.start_time,
        clicks: r.click_count ?? null,
        errors: r.console_error_count ?? null,
        startUrl: r.start_url ?? null,
      });
    }
  }
}

/**
 * Where the card's chart goes. An unfurl's image must sit in its blocks, and a `slack_file` there must be shared in the
 * conversation (a channel-less upload is refused: python-slack-sdk#1658), so: a signed URL on Hogbot's own server when
 * PUBLIC_URL is set; else the PNG shared in the thread of the message carrying the link, the card keeping its text
 * sparkline. Null when neither works (composer previews have no thread yet).
 */
async function chartImage(
  ctx: CommandContext,
  png: Buffer,
  title: string,
  thread: UnfurlOptions['thread'],
): Promise<{ imageUrl: string | null; inThread: boolean } | null> {
  try {
    const imageUrl = await publishImage({ config: ctx.config, store: ctx.store, teamId: ctx.teamId, now: () => ctx.now() }, png);
    if (imageUrl) return { imageUrl, inThread: false };
  } catch (error) {
    ctx.logger.warn('unfurl: could not store the insight chart for its URL', error);
  }
  if (!thread) return null;
  try {
    await ctx.slack.filesUploadV2({
      channel_id: thread.channel,
      thread_ts: thread.ts,
      file: png,
      filename: 'insight.png',
      title,
      alt_text: `Chart of ${title}`,
    });
    return { imageUrl: null, inThread: true };
  } catch (error) {
    ctx.logger.warn('unfurl: could not share the insight chart in the thread', error);
    return null;
  }
}
