import type { SyntaxProblem } from '../src/hogql/syntax-problem.js';
import { actions, button, context, escapeMrkdwn, type KnownBlock, LIMITS, type Message, section, truncate, type View } from './blocks.js';
import { tableBlock } from './table.js';

export const QUERY_CANCEL_ACTION = 'hogbot_query_cancel';
export const QUERY_MODAL_CALLBACK = 'hogbot_query_modal';
export const QUERY_BLOCK = 'hogbot_query_text';
export const QUERY_INPUT = 'query';
export const PROJECT_BLOCK = 'hogbot_query_project';
export const PROJECT_SELECT = 'project';

/** Cell text the table may use; the rest of the message (query, notes) stays well under the remaining ~2.5k. */
export const TABLE_TEXT_BUDGET = LIMITS.messageTextBudget - 2_500;
const QUERY_ECHO_MAX = 600;

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** The query as a code block: escaped for mrkdwn, clipped, and unable to close its own fence. */
export function queryEcho(query: string, max = QUERY_ECHO_MAX): string {
  return `\`\`\`${escapeMrkdwn(truncate(query.trim(), max)).replace(/```/g, 'ˋˋˋ')}\`\`\``;
}

export function runningMessage(m: { query: string; elapsedMs: number; cancelValue: string }): Message {
  const still = m.elapsedMs >= 1000 ? `Still running… ${seconds(m.elapsedMs)}` : 'Running…';
  return {
    text: `HogQL: ${still}`,
    blocks: [
      section(`:hourglass_flowing_sand: *${still}*`),
      section(queryEcho(m.query, 300)),
      actions('hogbot_query_running', [button({ text: 'Cancel', actionId: QUERY_CANCEL_ACTION, value: m.cancelValue, style: 'danger' })]),
    ],
  };
}

export function cancelledMessage(m: { elapsedMs: number | null; byUserId: string | null }): Message {
  const after = m.elapsedMs === null ? '' : ` after ${seconds(m.elapsedMs)}`;
  const by = m.byUserId ? ` by <@${m.byUserId}>` : '';
  const text = `Query cancelled${by}${after}. Nothing more will run; send it again with \`/ph query …\` when you are ready.`;
  return { text, blocks: [section(`:no_entry_sign: ${text}`)] };
}

/**
 * mrkdwn for a syntax error: PostHog's message and position, then the offending line with a caret under the problem
 * (`snippet`: src/hogql/syntax-problem.ts caretSnippet).
 */
export function syntaxErrorText(problem: SyntaxProblem, snippet: string): string {
  const where = `line ${problem.line}, column ${problem.column}`;
  return [
    `*HogQL syntax error* at ${where}: ${escapeMrkdwn(truncate(problem.message, 500))}`,
    `\`\`\`${escapeMrkdwn(snippet)}\`\`\``,
    'Nothing was sent to PostHog. Fix the query and run it again, or send `/ph query` alone to open the editor.',
  ].join('\n');
}

/** A field error for the modal (plain text, one line). */
export function syntaxFieldError(problem: SyntaxProblem): string {
  return truncate(`Line ${problem.line}, column ${problem.column}: ${problem.message}`, 300);
}

export interface SharedFile {
  name: string;
  permalink: string | null;
}

/** A result as shown, built from what PostHog sent by src/hogql/result-model.ts. */
export interface ResultViewModel {
  query: string;
  columns: string[];
  /** How many rows the result has (the cells are only the first ones). */
  totalRows: number;
  /** The first rows' cells as the reader sees them (at most TABLE_LIMITS.rows - 1 rows). */
  cells: string[][];
  align: Array<'left' | 'right'>;
  /** Some column shows times on the reader's clock: the notes name the zone. */
  clockTimes: boolean;
  /** More rows exist than were fetched (PostHog's `hasMore`, or our LIMIT probe). */
  hasMore: boolean;
  /** The cap that applied when `hasMore` (PostHog's default 100, or the LIMIT / --limit). */
  fetchLimit: number | null;
  elapsedMs: number;
  timeZone: string;
  notes?: string[];
  csv?: SharedFile | null;
  chart?: SharedFile | null;
  /** Where the files went: the conversation with the caller, or this channel. */
  filesWhere?: 'dm' | 'channel';
}

const layoutTable = (m: ResultViewModel) => tableBlock({ header: m.columns, rows: m.cells, align: m.align }, TABLE_TEXT_BUDGET);

/** Whether the whole result fits in the message's table (if not, the full result goes out as a CSV file). */
export function resultViewFits(m: ResultViewModel): boolean {
  if (m.totalRows === 0) return true;
  const fitted = layoutTable(m);
  return fitted.rowsShown === m.totalRows && fitted.columnsShown === m.columns.length;
}

export function resultViewMessage(m: ResultViewModel): Message {
  const total = m.totalRows;
  const head = `*HogQL* · ${plural(total, 'row')}${m.hasMore ? '+' : ''} · ${seconds(m.elapsedMs)}`;
  const blocks: KnownBlock[] = [section(head), section(queryEcho(m.query))];
  if (total === 0) {
    blocks.push(section('The query returned no rows.'));
    if (m.notes?.length) blocks.push(context(...m.notes.map(escapeMrkdwn)));
    return { text: 'HogQL: no rows', blocks };
  }
  const fitted = layoutTable(m);
  const notes = resultNotes(m, fitted.rowsShown, fitted.columnsShown);
  if (notes.length > 0) blocks.push(context(...notes));
  blocks.push(fitted.block);
  const text = `HogQL: ${plural(total, 'row')}${fitted.rowsShown < total ? `, showing ${count(fitted.rowsShown)}` : ''}`;
  return { text, blocks };
}

function resultNotes(m: ResultViewModel, rowsShown: number, columnsShown: number): string[] {
  const notes: string[] = [];
  const total = m.totalRows;
  const place = m.filesWhere === 'channel' ? 'in this channel' : 'in your DM with Hogbot';
  const link = (f: SharedFile) => (f.permalink ? `<${f.permalink}|${escapeMrkdwn(f.name)}>` : `\`${escapeMrkdwn(f.name)}\``);
  if (rowsShown < total) {
    const full = m.csv ? ` The full result is in ${link(m.csv)} (${place}).` : '';
    notes.push(`Showing ${count(rowsShown)} of ${count(total)} rows.${full}`);
  }
  if (columnsShown < m.columns.length)
    notes.push(
      `Showing ${columnsShown} of ${m.columns.length} columns${m.csv && rowsShown >= total ? `; every column is in ${link(m.csv)}` : ''}.`,
    );
  if (m.hasMore) {
    const cap = m.fetchLimit === null ? '' : ` (the limit was ${count(m.fetchLimit)})`;
    notes.push(`PostHog has more rows than these${cap}: add \`LIMIT n\` or \`--limit n\` (up to 50,000), or narrow the query.`);
  }
  if (m.clockTimes) notes.push(`Times in ${escapeMrkdwn(m.timeZone)}.`);
  if (m.chart) notes.push(`Chart: ${link(m.chart)} (${place}).`);
  for (const note of m.notes ?? []) notes.push(escapeMrkdwn(note));
  return notes.slice(0, LIMITS.contextElements);
}

export interface ProjectOption {
  id: number;
  name: string;
}

export interface QueryModalModel {
  privateMetadata: string;
  externalId: string;
  initialQuery?: string;
  /** Shown as a picker only when there is more than one. */
  projects?: ProjectOption[];
  selectedProjectId?: number | null;
}

export function queryModal(m: QueryModalModel): View {
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: QUERY_BLOCK,
      label: { type: 'plain_text', text: 'HogQL' },
      element: {
        type: 'plain_text_input',
        action_id: QUERY_INPUT,
        multiline: true,
        max_length: 3000,
        focus_on_load: true,
        placeholder: { type: 'plain_text', text: 'SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 10' },
        ...(m.initialQuery ? { initial_value: m.initialQuery } : {}),
      },
    },
  ];
  const projects = (m.projects ?? []).slice(0, LIMITS.optionsPerSelect);
  if (projects.length > 1) {
    const option = (p: ProjectOption) => ({
      text: { type: 'plain_text' as const, text: truncate(`${p.name} (${p.id})`, 75) },
      value: String(p.id),
    });
    const selected = projects.find((p) => p.id === m.selectedProjectId) ?? projects[0]!;
    blocks.push({
      type: 'input',
      block_id: PROJECT_BLOCK,
      label: { type: 'plain_text', text: 'Project' },
      element: { type: 'static_select', action_id: PROJECT_SELECT, options: projects.map(option), initial_option: option(selected) },
    });
  }
  blocks.push(context("Checked by PostHog's HogQL parser before it runs. The result appears where you opened this editor."));
  return {
    type: 'modal',
    callback_id: QUERY_MODAL_CALLBACK,
    external_id: m.externalId,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'HogQL query' },
    submit: { type: 'plain_text', text: 'Run' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export function editorOpenedMessage(): Message {
  const text = 'Opened the HogQL editor. The result will appear here.';
  return { text, blocks: [context(`:pencil2: ${text}`)] };
}
