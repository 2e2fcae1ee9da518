import { z } from 'zod';
import { type Message, truncate } from '../views/blocks.js';
import {
  cancelledMessage,
  editorOpenedMessage,
  PROJECT_BLOCK,
  PROJECT_SELECT,
  QUERY_BLOCK,
  QUERY_CANCEL_ACTION,
  QUERY_INPUT,
  QUERY_MODAL_CALLBACK,
  queryModal,
  syntaxFieldError,
} from '../views/query.js';
import { guarded } from '../src/dispatch.js';
import { CommandError } from '../src/errors.js';
import { DEFAULT_TIMEOUT_SECONDS, runQueryFlow } from '../src/hogql/flow.js';
import { MAX_ROWS } from '../src/hogql/limit.js';
import { cancelQuery } from '../src/hogql/run.js';
import { stopLocal } from '../src/hogql/running.js';
import { knownSyntax, precheck } from '../src/hogql/syntax.js';
import { projectSchema } from '../src/posthog/schemas.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { defineAction, defineModal, encodeOrigin } from '../src/registry/interaction.js';
import { createReplier, respondToUrl } from '../src/slack/replier.js';

const query = defineCommand({
  name: 'query',
  aliases: ['hogql'],
  summary: 'Run a HogQL query (no query opens an editor)',
  usage: '[HogQL] [--limit N] [--chart line|bar] [--timeout S]',
  examples: [
    '/ph query SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 10',
    "/ph query SELECT toStartOfDay(timestamp) AS day, count() FROM events WHERE event = '$pageview' GROUP BY day ORDER BY day --chart line",
    '/ph query',
  ],
  args: z.object({
    query: z.string(),
    limit: z.coerce.number().int().min(1).max(MAX_ROWS).optional(),
    chart: z.enum(['line', 'bar']).optional(),
    timeout: z.coerce.number().int().min(1).max(600).optional(),
  }),
  raw: 'query',
  mutates: false,
  role: 'reader',
  run: async (ctx, args) => {
    if (args.query.trim() === '') return openEditor(ctx);
    return runQueryFlow(ctx, {
      query: args.query,
      ...(args.limit !== undefined && { limit: args.limit }),
      ...(args.chart !== undefined && { chart: args.chart }),
      timeoutSeconds: args.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    });
  },
});

/**
 * The editor opens with the trigger_id first (valid 3 s); only then are projects listed, and the picker added with
 * views.update when there is a choice to make.
 */
async function openEditor(ctx: CommandContext): Promise<Message> {
  if (!ctx.triggerId) throw new CommandError('Write the query after the command: `/ph query SELECT count() FROM events`.');
  const externalId = `hogql-${ctx.userId}-${Date.now().toString(36)}`;
  const privateMetadata = encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl });
  await ctx.openModal(queryModal({ privateMetadata, externalId }));
  try {
    const [posthog, current] = await Promise.all([ctx.posthog(), ctx.projectId()]);
    const { items } = await posthog.collect('/api/projects/', projectSchema, { maxItems: 100 });
    if (items.length > 1) {
      const projects = items.map((p) => ({ id: p.id, name: p.name }));
      const selectedProjectId = typeof current === 'number' ? current : null;
      await ctx.slack.views.update({
        external_id: externalId,
        view: queryModal({ privateMetadata, externalId, projects, selectedProjectId }),
      });
    }
  } catch (error) {
    // Without the picker the query runs on the workspace's project, which is what it would do anyway.
    ctx.logger.warn('query: could not add the project picker to the editor', error);
  }
  return editorOpenedMessage();
}

interface ModalData {
  query: string;
  projectId: number | null;
}

const editor = defineModal<ModalData>({
  callbackId: QUERY_MODAL_CALLBACK,
  validate(values) {
    const text = values[QUERY_BLOCK]?.[QUERY_INPUT]?.value?.trim() ?? '';
    if (text === '') return { errors: { [QUERY_BLOCK]: 'Write a HogQL query, e.g. SELECT count() FROM events' } };
    // Validation answers Slack's submission itself, so it never parses (the parser runs after the ack, in the worker
    // pool, when the query runs): only the cheap scan, and a verdict already known for this exact text.
    const refused = precheck(text);
    if (refused) return { errors: { [QUERY_BLOCK]: truncate(refused.message, 300) } };
    const check = knownSyntax(text);
    // Curly quotes may be what failed: the run straightens them and checks again (see withStraightQuotes).
    if (check && !check.ok && !/[\u2018\u2019\u201c\u201d]/.test(text))
      return { errors: { [QUERY_BLOCK]: syntaxFieldError(check.problem) } };
    const picked = values[PROJECT_BLOCK]?.[PROJECT_SELECT]?.selected_option?.value ?? null;
    return { data: { query: text, projectId: picked !== null && /^\d+$/.test(picked) ? Number(picked) : null } };
  },
  async submit(ctx, data, origin) {
    const request = { query: data.query, ...(data.projectId !== null && { projectId: data.projectId }) };
    if (!origin.responseUrl) return runQueryFlow(ctx, request);
    // Answer through the command's response_url like a typed query: "Running…" first, replaced by the result.
    const replier = createReplier(respondToUrl(origin.responseUrl ?? ''));
    const live: CommandContext = { ...ctx, progress: (message) => replier.progress(message) };
    const { message } = await guarded(live, 'query editor', () => runQueryFlow(live, request));
    await replier.final(message, 'ephemeral');
    return null;
  },
});

const CANCEL_VALUE = /^(\d+|@current):([A-Za-z0-9_-]{1,200})$/;

const cancel = defineAction({
  actionId: QUERY_CANCEL_ACTION,
  async run(ctx, input) {
    const match = CANCEL_VALUE.exec(input.value ?? '');
    if (!match) throw new CommandError('That Cancel button is not valid any more; the query may have finished.');
    const projectId = match[1] === '@current' ? '@current' : Number(match[1]);
    const queryId = match[2]!;
    const elapsedMs = stopLocal(queryId);
    await cancelQuery(await ctx.posthog(), projectId, queryId);
    return { message: cancelledMessage({ elapsedMs, byUserId: ctx.userId }), replace: true };
  },
});

export const interactions = [editor, cancel];
export default query;
