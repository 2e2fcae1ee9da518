/**
 * What each seeded project contains: flags, experiments, dashboards, insights, cohorts, actions, annotations and
 * surveys. Running experiments also feed the dataset, so their flag keys show up in events.
 */
import type { DemoExperimentExposure } from './dataset-types.js';
import type { ExperimentInput, FlagInput, InsightInput, Meta, SurveyInput } from './factories.js';
import { newAction, newAnnotation, newCohort, newDashboard, newExperiment, newFlag, newInsight, newSurvey } from './factories.js';
import { isoTime } from './http.js';
import type { Experiment, FeatureFlag, ProjectCollections, Stored, UserRecord } from './model.js';
import type { Rng } from './prng.js';

const DAY = 86_400_000;

export const ID_BASES = {
  flag: 10_000,
  experiment: 20_000,
  dashboard: 30_000,
  insight: 40_000,
  cohort: 50_000,
  action: 60_000,
  annotation: 70_000,
} as const;
export type IdKind = keyof typeof ID_BASES;

/** Integer ids, one range per resource so an id of the wrong kind 404s instead of hitting another object. */
export class Ids {
  private readonly counters: Record<IdKind, number> = { ...ID_BASES };
  next(kind: IdKind): number {
    this.counters[kind] += 1;
    return this.counters[kind];
  }
}

export interface ContentBuilder {
  readonly teamId: number;
  daysAgo(days: number): string;
  flag(input: FlagInput, daysAgo?: number): FeatureFlag;
  /** Creates the experiment's multivariate flag too. `lift` makes non-control variants convert better in events. */
  experiment(
    input: Omit<ExperimentInput, 'feature_flag_key'> & { flagKey: string; flagName?: string; lift?: number },
    daysAgo?: number,
  ): Experiment;
  dashboard(input: Parameters<typeof newDashboard>[2], daysAgo?: number): Stored;
  insight(input: InsightInput, daysAgo?: number): Stored;
  cohort(input: Parameters<typeof newCohort>[2], daysAgo?: number): Stored;
  action(input: Parameters<typeof newAction>[3], daysAgo?: number): Stored;
  annotation(input: Parameters<typeof newAnnotation>[2], daysAgo?: number): Stored;
  survey(input: SurveyInput, daysAgo?: number): Stored;
}

export function contentBuilder(
  teamId: number,
  collections: ProjectCollections,
  user: UserRecord,
  nowMs: number,
  ids: Ids,
  rng: Rng,
  exposures: DemoExperimentExposure[],
): ContentBuilder {
  const iso = (days: number) => isoTime(new Date(nowMs - days * DAY));
  const meta = (days: number): Meta => ({ now: iso(days), user });
  const b: ContentBuilder = {
    teamId,
    daysAgo: iso,
    flag(input, days = 30) {
      const flag = newFlag(ids.next('flag'), meta(days), input);
      collections.feature_flags.push(flag);
      return flag;
    },
    experiment(input, days = 20) {
      const filters = {
        groups: [{ properties: [], rollout_percentage: 100 }],
        multivariate: { variants: input.variants.map((v) => ({ key: v.key, name: '', rollout_percentage: v.rollout_percentage })) },
      };
      const flag = b.flag(
        {
          key: input.flagKey,
          name: input.flagName ?? `Feature flag for experiment ${input.name}`,
          active: input.start_date != null,
          filters,
        },
        days,
      );
      flag.creation_context = 'experiments';
      const experiment = newExperiment(ids.next('experiment'), meta(days), { ...input, feature_flag_key: input.flagKey }, flag.id);
      collections.experiments.push(experiment);
      if (input.start_date != null) {
        exposures.push({
          flagKey: input.flagKey,
          variants: input.variants.map((v) => ({ key: v.key, rolloutPercentage: v.rollout_percentage })),
          start: new Date(input.start_date),
          end: input.end_date == null ? null : new Date(input.end_date),
          lift: input.lift ?? 0,
        });
      }
      return experiment;
    },
    dashboard(input, days = 60) {
      const dashboard = newDashboard(ids.next('dashboard'), meta(days), input);
      collections.dashboards.push(dashboard);
      return dashboard;
    },
    insight(input, days = 45) {
      const insight = newInsight(ids.next('insight'), rng.alnum(8), meta(days), input);
      collections.insights.push(insight);
      return insight;
    },
    cohort(input, days = 40) {
      const cohort = newCohort(ids.next('cohort'), meta(days), input);
      collections.cohorts.push(cohort);
      return cohort;
    },
    action(input, days = 50) {
      const action = newAction(ids.next('action'), teamId, meta(days), input);
      collections.actions.push(action);
      return action;
    },
    annotation(input, days = 10) {
      const annotation = newAnnotation(ids.next('annotation'), meta(days), input);
      collections.annotations.push(annotation);
      return annotation;
    },
    survey(input, days = 15) {
      const survey = newSurvey(
        rng.uuid4(),
        input.questions.map(() => rng.uuid4()),
        meta(days),
        input,
      );
      collections.surveys.push(survey);
      return survey;
    },
  };
  return b;
}

function trendsQuery(
  event: string,
  math: string,
  opts: { interval?: string; dateFrom?: string; breakdown?: string; mathProperty?: string } = {},
) {
  const series: Record<string, unknown> = { kind: 'EventsNode', event, name: event, math };
  if (opts.mathProperty) series.math_property = opts.mathProperty;
  const source: Record<string, unknown> = {
    kind: 'TrendsQuery',
    series: [series],
    interval: opts.interval ?? 'day',
    dateRange: { date_from: opts.dateFrom ?? '-30d' },
  };
  if (opts.breakdown) source.breakdownFilter = { breakdown: opts.breakdown, breakdown_type: 'event' };
  return { kind: 'InsightVizNode', source };
}

const funnelQuery = (events: string[]) => ({
  kind: 'InsightVizNode',
  source: {
    kind: 'FunnelsQuery',
    series: events.map((event) => ({ kind: 'EventsNode', event, name: event })),
    dateRange: { date_from: '-30d' },
    funnelsFilter: { funnelWindowInterval: 14, funnelWindowIntervalUnit: 'day' },
  },
});

const personProp = (key: string, value: unknown, operator: string) => ({ key, type: 'person', value, operator });

const funnelMetric = (uuid: string, name: string, events: string[]) => ({
  kind: 'ExperimentMetric',
  uuid,
  name,
  metric_type: 'funnel',
  series: events.map((event) => ({ kind: 'EventsNode', event, name: event })),
});

const npsQuestion = {
  type: 'rating',
  question: 'How likely are you to recommend us to a friend?',
  scale: 10,
  display: 'number',
  lowerBoundLabel: 'Unlikely',
  upperBoundLabel: 'Very likely',
};

export function acmeWeb(b: ContentBuilder): void {
  b.experiment(
    {
      name: 'New onboarding flow',
      description: 'Does the guided onboarding make more visitors buy?',
      flagKey: 'new-onboarding-flow',
      variants: [
        { key: 'control', rollout_percentage: 50 },
        { key: 'test', rollout_percentage: 50 },
      ],
      start_date: b.daysAgo(14),
      metrics: [funnelMetric('6f1c0f6e-6c1b-4a53-9a43-3b7a1c1e0001', 'Purchase conversion', ['$pageview', 'purchase'])],
      // Large enough that ~110 people per variant show a clear winner: the demo should have a result worth reading.
      lift: 1.5,
    },
    16,
  );
  b.experiment(
    {
      name: 'Pricing page v2',
      description: 'Three layouts for the pricing page.',
      flagKey: 'pricing-page-v2',
      variants: [
        { key: 'control', rollout_percentage: 34 },
        { key: 'test', rollout_percentage: 33 },
        { key: 'test-2', rollout_percentage: 33 },
      ],
      metrics: [funnelMetric('6f1c0f6e-6c1b-4a53-9a43-3b7a1c1e0002', 'Signup conversion', ['$pageview', 'signed_up'])],
    },
    3,
  );
  const hero = b.experiment(
    {
      name: 'Homepage hero copy',
      flagKey: 'homepage-hero-copy',
      variants: [
        { key: 'control', rollout_percentage: 50 },
        { key: 'test', rollout_percentage: 50 },
      ],
      start_date: b.daysAgo(28),
      end_date: b.daysAgo(16),
      metrics: [funnelMetric('6f1c0f6e-6c1b-4a53-9a43-3b7a1c1e0003', 'Signup conversion', ['$pageview', 'signed_up'])],
      lift: 0.1,
    },
    30,
  );
  hero.conclusion = 'won';
  hero.conclusion_comment = 'Test copy won; rolled out to everyone.';

  b.flag({ key: 'dark-mode', name: 'Dark mode for the web app', filters: { groups: [{ rollout_percentage: 100 }] }, tags: ['ui'] }, 60);
  b.flag(
    {
      key: 'beta-dashboard',
      name: 'New dashboard: staff plus 20% of users',
      filters: {
        groups: [{ properties: [personProp('email', 'acme.com', 'icontains')], rollout_percentage: 100 }, { rollout_percentage: 20 }],
      },
      tags: ['beta'],
    },
    25,
  );
  b.flag({ key: 'checkout-redesign', name: 'Checkout redesign', active: false, filters: { groups: [{ rollout_percentage: 50 }] } }, 12);
  b.flag(
    {
      key: 'ai-insights',
      name: 'AI-generated insight summaries',
      filters: { groups: [{ rollout_percentage: 10 }] },
      tags: ['ai', 'beta'],
      ensure_experience_continuity: true,
    },
    8,
  );
  b.flag(
    {
      key: 'enterprise-sso',
      name: 'SSO for enterprise plans',
      filters: { groups: [{ properties: [personProp('plan', ['enterprise'], 'exact')], rollout_percentage: 100 }] },
    },
    90,
  );
  b.flag({ key: 'legacy-export', name: 'Old CSV export', active: false, deleted: true }, 120);

  const overview = b.dashboard(
    { name: 'Product overview', description: 'Daily health of the web app', pinned: true, tags: ['product'] },
    80,
  );
  const growth = b.dashboard({ name: 'Growth', description: 'Signups and revenue', tags: ['growth'] }, 70);
  const marketing = b.dashboard({ name: 'Marketing', description: 'Where visitors come from' }, 50);
  b.dashboard({ name: 'Old KPIs', deleted: true }, 200);
  b.insight(
    { name: 'Daily active users', query: trendsQuery('$pageview', 'dau'), dashboards: [overview.id as number], favorited: true },
    79,
  );
  b.insight(
    {
      name: 'Pageviews by browser',
      query: trendsQuery('$pageview', 'total', { breakdown: '$browser', dateFrom: '-14d' }),
      dashboards: [overview.id as number],
    },
    78,
  );
  b.insight(
    {
      name: 'Signup funnel',
      query: funnelQuery(['$pageview', 'signed_up', 'purchase']),
      dashboards: [overview.id as number, growth.id as number],
    },
    77,
  );
  b.insight(
    { name: 'Weekly signups', query: trendsQuery('signed_up', 'total', { interval: 'week' }), dashboards: [growth.id as number] },
    69,
  );
  b.insight(
    {
      name: 'Revenue by plan',
      query: trendsQuery('purchase', 'sum', { mathProperty: 'amount', breakdown: 'plan' }),
      dashboards: [growth.id as number],
      tags: ['revenue'],
    },
    68,
  );
  b.insight(
    {
      name: 'Traffic by UTM source',
      query: trendsQuery('$pageview', 'unique_session', { breakdown: 'utm_source' }),
      dashboards: [marketing.id as number],
    },
    49,
  );
  b.insight({ name: 'Insight views', query: trendsQuery('insight viewed', 'total') }, 20);
  b.insight({ name: 'Old bounce rate', query: trendsQuery('$pageleave', 'total'), deleted: true }, 150);

  b.cohort(
    {
      name: 'Acme staff',
      description: 'Everyone with an acme.com email',
      filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [personProp('email', 'acme.com', 'icontains')] }] } },
    },
    90,
  );
  b.cohort(
    {
      name: 'Paying customers',
      filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [personProp('plan', ['pro', 'enterprise'], 'exact')] }] } },
    },
    60,
  );
  b.cohort(
    {
      name: 'Power users',
      description: 'Viewed 5+ insights in the last 30 days',
      filters: {
        properties: {
          type: 'OR',
          values: [
            {
              type: 'AND',
              values: [
                {
                  key: 'insight viewed',
                  type: 'behavioral',
                  value: 'performed_event_multiple',
                  event_type: 'events',
                  operator: 'gte',
                  operator_value: 5,
                  time_value: 30,
                  time_interval: 'day',
                },
              ],
            },
          ],
        },
      },
    },
    30,
  );
  b.cohort({ name: 'Beta testers', is_static: true, count: 12 }, 20);

  b.action({ name: 'Signed up', description: 'Account created', steps: [{ event: 'signed_up' }] }, 100);
  b.action({ name: 'Viewed pricing', steps: [{ event: '$pageview', url: '/pricing', url_matching: 'contains' }], tags: ['marketing'] }, 90);
  b.action(
    { name: 'Clicked Get started', steps: [{ event: '$autocapture', text: 'Get started', text_matching: 'exact', selector: 'a.btn' }] },
    60,
  );
  b.action({ name: 'Purchased', steps: [{ event: 'purchase' }] }, 60);

  b.annotation({ content: 'Launched the new onboarding experiment', date_marker: b.daysAgo(14) }, 14);
  b.annotation({ content: 'Pricing page copy update', date_marker: b.daysAgo(9) }, 9);
  b.annotation({ content: 'Outage: EU region down for 45 minutes', date_marker: b.daysAgo(3) }, 3);
  b.annotation({ content: 'Spring campaign started', date_marker: b.daysAgo(25), scope: 'organization' }, 25);
  b.annotation({ content: 'Test annotation, please ignore', date_marker: b.daysAgo(5), deleted: true }, 5);

  b.survey({ name: 'NPS', description: 'Quarterly NPS', type: 'popover', questions: [npsQuestion], start_date: b.daysAgo(10) }, 12);
  b.survey(
    { name: 'Why did you cancel?', type: 'api', questions: [{ type: 'open', question: 'What made you cancel your subscription?' }] },
    4,
  );
  b.survey(
    {
      name: 'Feature requests',
      type: 'widget',
      questions: [{ type: 'open', question: 'What should we build next?' }],
      start_date: b.daysAgo(60),
      end_date: b.daysAgo(30),
      archived: true,
    },
    61,
  );
}

export function acmeMobile(b: ContentBuilder): void {
  b.flag({ key: 'mobile-push-v2', name: 'New push notification service', filters: { groups: [{ rollout_percentage: 50 }] } }, 20);
  b.flag({ key: 'offline-mode', name: 'Offline mode', active: false, filters: { groups: [{ rollout_percentage: 0 }] } }, 10);
  const d = b.dashboard({ name: 'Mobile overview', pinned: true }, 40);
  b.insight({ name: 'Mobile DAU', query: trendsQuery('$pageview', 'dau'), dashboards: [d.id as number] }, 40);
  b.cohort(
    {
      name: 'iOS users',
      filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [personProp('$os', ['iOS'], 'exact')] }] } },
    },
    30,
  );
  b.action({ name: 'Purchased', steps: [{ event: 'purchase' }] }, 30);
  b.annotation({ content: 'App Store release 4.2', date_marker: b.daysAgo(6) }, 6);
}

export function globex(b: ContentBuilder): void {
  b.experiment(
    {
      name: 'Homepage hero',
      flagKey: 'homepage-hero',
      variants: [
        { key: 'control', rollout_percentage: 50 },
        { key: 'test', rollout_percentage: 50 },
      ],
      start_date: b.daysAgo(7),
      metrics: [funnelMetric('6f1c0f6e-6c1b-4a53-9a43-3b7a1c1e0101', 'Orders', ['$pageview', 'purchase'])],
      lift: 0.15,
    },
    8,
  );
  b.flag({ key: 'new-nav', name: 'New navigation bar', filters: { groups: [{ rollout_percentage: 100 }] } }, 30);
  b.flag(
    { key: 'hammock-promo', name: 'Hammock promotion banner', filters: { groups: [{ rollout_percentage: 30 }] }, tags: ['marketing'] },
    5,
  );
  const d = b.dashboard({ name: 'Storefront KPIs', pinned: true }, 30);
  b.insight({ name: 'Orders per day', query: trendsQuery('purchase', 'total'), dashboards: [d.id as number] }, 30);
  b.insight({ name: 'Visitors', query: trendsQuery('$pageview', 'dau'), dashboards: [d.id as number] }, 30);
  b.cohort(
    {
      name: 'VIP customers',
      filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [personProp('plan', ['enterprise'], 'exact')] }] } },
    },
    20,
  );
  b.action({ name: 'Purchased', steps: [{ event: 'purchase' }] }, 30);
  b.annotation({ content: 'Black Friday sale', date_marker: b.daysAgo(4) }, 4);
  b.survey(
    {
      name: 'Checkout feedback',
      type: 'popover',
      questions: [{ type: 'rating', question: 'How easy was checkout?', scale: 5, display: 'emoji' }],
      start_date: b.daysAgo(3),
    },
    3,
  );
}

/** For accounts connected at runtime through the authorize page. */
export function starter(b: ContentBuilder): void {
  b.flag({ key: 'welcome-banner', name: 'Welcome banner', filters: { groups: [{ rollout_percentage: 100 }] } }, 2);
  const d = b.dashboard({ name: 'My dashboard' }, 2);
  b.insight({ name: 'Pageviews', query: trendsQuery('$pageview', 'total'), dashboards: [d.id as number] }, 2);
}
