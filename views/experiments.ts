import type { Experiment, ExperimentStatus, PrimaryMetric, Variant } from '../src/experiments/experiment.js';
import type { ResultsOutcome } from '../src/experiments/load.js';
import type { ExperimentResults } from '../src/experiments/results.js';
import { actions, button, context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section, truncate } from './blocks.js';
import { projectUrl } from './links.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { formatDate, parseTime } from './when.js';

/** The "Open in PostHog" link button (acked and ignored). */
export const EXPERIMENT_LINK_ACTION = 'hogbot_experiment_link';

export function experimentUrl(appUrl: string, projectId: number, id: number): string {
  return projectUrl(appUrl, projectId, `/experiments/${id}`);
}

const STATUS_EMOJI: Record<ExperimentStatus, string> = {
  draft: ':white_circle:',
  running: ':large_green_circle:',
  stopped: ':red_circle:',
};

/**
 * "running since Nov 12, 2026", "stopped Nov 20, 2026 (ran 8 days)", "draft". Read from the dates alone: without a
 * readable start it reads as a draft, without a readable end as running (the status itself is statusOf's, in src/).
 */
export function statusText(e: Pick<Experiment, 'start_date' | 'end_date'>, timeZone: string): string {
  const start = parseTime(e.start_date);
  const end = parseTime(e.end_date);
  if (!start) return `${STATUS_EMOJI.draft} draft`;
  if (!end) return `${STATUS_EMOJI.running} running since ${formatDate(start, timeZone)}`;
  const days = Math.max(0, Math.round((end.getTime() - start.getTime()) / 86_400_000));
  return `${STATUS_EMOJI.stopped} stopped ${formatDate(end, timeZone)} (ran ${days} day${days === 1 ? '' : 's'})`;
}

export function splitText(variants: Variant[]): string {
  if (variants.length === 0) return '_none_';
  return variants.map((v) => `\`${escapeMrkdwn(v.key)}\` ${v.percent === null ? '?' : `${v.percent}%`}`).join(' · ');
}

export interface ExperimentsListModel {
  experiments: Experiment[];
  search: string | null;
  projectId: number;
  appUrl: string;
  timeZone: string;
  page: PageModel;
}

export function experimentsListMessage(m: ExperimentsListModel): Message {
  if (m.experiments.length === 0) {
    const text = m.search
      ? `No experiments match “${escapeMrkdwn(m.search)}”.`
      : m.page.offset > 0
        ? 'No more experiments.'
        : 'This project has no experiments yet. Start one with `/ph experiment create`.';
    return { text: m.search ? `No experiments match ${m.search}` : 'No experiments', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(m.search ? `*Experiments matching “${escapeMrkdwn(m.search)}”*` : '*Experiments*')];
  for (const e of m.experiments) {
    const url = experimentUrl(m.appUrl, m.projectId, e.id);
    const line = `*<${url}|${escapeMrkdwn(truncate(e.name, 120))}>*  \`${e.id}\`\n${statusText(e, m.timeZone)} · flag \`${escapeMrkdwn(e.feature_flag_key)}\`${e.archived ? ' · _archived_' : ''}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line }, accessory: runButton('Show', `experiment ${e.id}`) });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.experiments.length} experiments`, blocks };
}

export interface ExperimentCardModel {
  experiment: Experiment;
  /** statusOf and variantsOf the experiment (src/experiments/experiment.ts). */
  status: ExperimentStatus;
  variants: Variant[];
  /** Exposures per variant below which Hogbot does not call a result (src/experiments/results.ts). */
  minExposures: number;
  metric: PrimaryMetric | null;
  outcome: ResultsOutcome;
  projectId: number;
  appUrl: string;
  timeZone: string;
}

export function experimentCardMessage(m: ExperimentCardModel): Message {
  const e = m.experiment;
  const status = m.status;
  const flagId = e.feature_flag?.id;
  const flag = flagId
    ? `<${projectUrl(m.appUrl, m.projectId, `/feature_flags/${flagId}`)}|${escapeMrkdwn(e.feature_flag_key)}>`
    : `\`${escapeMrkdwn(e.feature_flag_key)}\``;
  const metric = m.metric
    ? `${escapeMrkdwn(m.metric.name ?? 'Primary metric')}${m.metric.event ? ` (\`${escapeMrkdwn(m.metric.event)}\`)` : ''}`
    : '_none_';
  const pairs: Array<readonly [string, string]> = [
    ['Status', statusText(e, m.timeZone)],
    ['Feature flag', flag],
    ['Variants', splitText(m.variants)],
    ['Primary metric', metric],
  ];
  if (e.conclusion)
    pairs.push([
      'Conclusion',
      `${escapeMrkdwn(e.conclusion)}${e.conclusion_comment ? `: ${escapeMrkdwn(truncate(e.conclusion_comment, 300))}` : ''}`,
    ]);

  const blocks: KnownBlock[] = [header(`Experiment: ${e.name}`)];
  if (e.description) blocks.push(section(escapeMrkdwn(truncate(e.description, 1000))));
  blocks.push(fields(pairs), ...resultsBlocks(m.outcome, e, m.minExposures));

  const buttons = [button({ text: 'Open in PostHog', actionId: EXPERIMENT_LINK_ACTION, url: experimentUrl(m.appUrl, m.projectId, e.id) })];
  if (status === 'draft') buttons.push(runButton('Launch…', `experiment launch ${e.id}`, 'primary'));
  if (status === 'running') buttons.push(runButton('Stop…', `experiment stop ${e.id}`, 'danger'));
  blocks.push(actions('hogbot_experiment_actions', buttons), context(`Experiment \`${e.id}\`${e.archived ? ' · archived' : ''}`));
  return { text: `Experiment ${e.name}: ${status}`, blocks };
}

function resultsBlocks(outcome: ResultsOutcome, e: Experiment, minExposures: number): KnownBlock[] {
  switch (outcome.kind) {
    case 'draft':
      return [section('*Results:* no results yet: this experiment is a draft and has not been launched.')];
    case 'unavailable':
      return [section(`*Results unavailable:* ${outcome.reason}`)];
    case 'results':
      return [
        section(`*Results*\n${verdict(outcome.results, minExposures)}`),
        section(table(outcome.results)),
        ...detailBlocks(outcome.results),
        provenance(outcome.results, e, outcome.metricEvent),
      ];
  }
}

export const pct = (x: number | null, digits = 1): string => (x === null ? '—' : `${(x * 100).toFixed(digits)}%`);
const signed = (x: number | null, digits = 1): string => (x === null ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(digits)}%`);
const chance = (x: number | null): string => (x === null ? '—' : x > 0.999 ? '>99.9%' : x < 0.001 ? '<0.1%' : `${(x * 100).toFixed(1)}%`);
const pValue = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));
const count = (n: number): string => n.toLocaleString('en-US');

function verdict(r: ExperimentResults, minExposures: number): string {
  const exposures = r.variants.reduce((sum, v) => sum + v.exposures, 0);
  if (exposures === 0) return 'No exposures yet: nobody has seen a variant since launch.';
  const best = [...r.variants].filter((v) => v.chanceToWin !== null).sort((a, b) => (b.chanceToWin ?? 0) - (a.chanceToWin ?? 0))[0];
  const lead = best ? ` \`${escapeMrkdwn(best.key)}\` has a ${chance(best.chanceToWin)} chance to be best.` : '';
  if (r.significant) return `:tada: *Significant.*${lead}`;
  const few = r.variants.some((v) => v.exposures < minExposures) ? ` Some variants have fewer than ${minExposures} exposures.` : '';
  const rule = r.source === 'hogbot' ? ` Hogbot calls a result at p < 0.05 with ${minExposures}+ exposures per variant.` : '';
  return `*Not significant yet.*${lead}${few}${rule}`;
}

/** A monospace table: Slack's table block is reserved for query results, and six short columns read fine as text. */
function table(r: ExperimentResults): string {
  const head = ['Variant', 'Exposures', 'Conversions', 'Rate', 'Uplift', 'Chance best'];
  const rows = r.variants.map((v) => [
    truncate(v.key, 20),
    count(v.exposures),
    count(v.conversions),
    pct(v.rate),
    v.key === r.controlKey ? 'baseline' : signed(v.uplift),
    chance(v.chanceToWin),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return `\`\`\`${[line(head), ...rows.map(line)].join('\n')}\`\`\``;
}

function detailBlocks(r: ExperimentResults): KnownBlock[] {
  const lines = r.variants
    .filter((v) => v.key !== r.controlKey && (v.pValue !== null || v.interval !== null))
    .map((v) => {
      const parts: string[] = [];
      if (v.pValue !== null) parts.push(`p = ${pValue(v.pValue)}`);
      if (v.interval) {
        const [lo, hi] = v.interval;
        const label =
          r.intervalOf === 'rate_difference'
            ? '95% CI of the rate difference'
            : r.intervalOf === 'posthog_confidence'
              ? '95% confidence interval'
              : '95% credible interval';
        const unit =
          r.intervalOf === 'rate_difference'
            ? (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pp`
            : (x: number) => signed(x);
        parts.push(`${label} ${unit(lo)} to ${unit(hi)}`);
      }
      if (v.significant !== null) parts.push(v.significant ? 'significant' : 'not significant');
      return `\`${escapeMrkdwn(v.key)}\` vs \`${escapeMrkdwn(r.controlKey)}\`: ${parts.join(' · ')}`;
    });
  return lines.length > 0 ? [section(lines.join('\n'))] : [];
}

function provenance(r: ExperimentResults, e: Experiment, metricEvent: string | null): KnownBlock {
  if (r.source === 'posthog') return context('Numbers and significance from PostHog’s ExperimentQuery.');
  const event = metricEvent ? `\`${escapeMrkdwn(metricEvent)}\`` : 'the metric event';
  return context(
    `:abacus: *Computed by Hogbot from event counts*, because PostHog’s ExperimentQuery gave no results. ` +
      `Exposures: persons with \`$feature_flag_called\` for \`${escapeMrkdwn(e.feature_flag_key)}\` since launch, in the variant of their first exposure. ` +
      `Conversions: those who did ${event} after it. Chance to be best: Beta-Binomial Monte Carlo (${count(r.draws ?? 0)} seeded draws); p-value: two-proportion z-test against the control.`,
  );
}

/** Several experiments match: one button each. */
export function experimentPickMessage(m: {
  query: string;
  experiments: Experiment[];
  command: (id: number) => string;
  timeZone: string;
}): Message {
  const blocks: KnownBlock[] = [section(`Several experiments match “${escapeMrkdwn(m.query)}”. Pick one:`)];
  for (const e of m.experiments.slice(0, 20)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(truncate(e.name, 120))}*  \`${e.id}\` · ${statusText(e, m.timeZone)}` },
      accessory: runButton('Pick', m.command(e.id)),
    });
  }
  if (m.experiments.length > 20) blocks.push(context(`${m.experiments.length - 20} more not shown: type more of the name.`));
  return { text: `Several experiments match ${m.query}`, blocks };
}

/** `variants` is variantsOf(experiment) (src/experiments/experiment.ts). */
export function experimentChangedMessage(m: {
  experiment: Experiment;
  variants: Variant[];
  verb: 'created' | 'launched' | 'stopped';
  projectId: number;
  appUrl: string;
  timeZone: string;
}): Message {
  const e = m.experiment;
  const url = experimentUrl(m.appUrl, m.projectId, e.id);
  const lead = {
    created: `:test_tube: Created draft experiment *<${url}|${escapeMrkdwn(e.name)}>* (\`${e.id}\`) on flag \`${escapeMrkdwn(e.feature_flag_key)}\`.`,
    launched: `:rocket: Launched *<${url}|${escapeMrkdwn(e.name)}>* (\`${e.id}\`): flag \`${escapeMrkdwn(e.feature_flag_key)}\` now splits traffic.`,
    stopped: `:checkered_flag: Stopped *<${url}|${escapeMrkdwn(e.name)}>* (\`${e.id}\`). Its flag \`${escapeMrkdwn(e.feature_flag_key)}\` is unchanged: roll out the winner or turn it off separately.`,
  }[m.verb];
  const buttons = [runButton('Show', `experiment ${e.id}`)];
  if (m.verb === 'created') buttons.push(runButton('Launch…', `experiment launch ${e.id}`, 'primary'));
  return {
    text: `Experiment ${e.name} ${m.verb}`,
    blocks: [
      section(lead),
      fields([
        ['Status', statusText(e, m.timeZone)],
        ['Variants', splitText(m.variants)],
      ]),
      actions('hogbot_experiment_changed', buttons),
    ],
  };
}
