/**
 * Saved HogQL queries, Hogbot's own state: saving (checked for syntax first; a low-risk write that skips Confirm) and
 * deleting (a confirmed write), both through the plan pipeline: audited, with Undo.
 */
import { z } from 'zod';
import { undoButton } from '../../views/audit.js';
import { actions, type Message, section } from '../../views/blocks.js';
import { syntaxErrorText } from '../../views/query.js';
import { queryDeletedMessage, querySavedMessage } from '../../views/saved-queries.js';
import { CommandError } from '../errors.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import { digestSpecSchema, savedQueryName } from '../scheduler/digest.js';
import type { SavedQuery } from '../store/schedules.js';
import { caretSnippet, checkSyntax } from './syntax.js';

const MAX_HOGQL = 5000;
/** Slack caps a button's value at 2000 characters: longer queries get no Undo button (the audit log keeps the text). */
const MAX_UNDO_CHARS = 2000;

export const savePayload = z.object({
  name: savedQueryName,
  hogql: z.string().min(1).max(MAX_HOGQL),
  replace: z.boolean(),
  by: z.string(),
});
export type SavePayload = z.infer<typeof savePayload>;

/** No saved query by that name yet (the fingerprint a save checks against when it creates one). */
const ABSENT = 'absent';

/**
 * `query save <name> <HogQL> [--replace]`: checked for syntax, then a write of Hogbot's own state through the plan
 * pipeline (its command skips Confirm as a low-risk setting, but the save is stored, claimed once, audited and undoable).
 */
export async function planSaveQuery(ctx: CommandContext, text: string, replace: boolean): Promise<PlanDraft<SavePayload> | Message> {
  const match = /^(\S+)\s+([\s\S]+)$/.exec(text.trim());
  if (!match) throw new CommandError('Give a name and the query: `/ph query save signups SELECT count() FROM events`.');
  const name = savedQueryName.safeParse(match[1]);
  if (!name.success) throw new CommandError(`The name \`${match[1]}\` ${name.error.issues[0]?.message ?? 'is not valid'}.`);
  const hogql = match[2]!.trim();
  if (hogql.length > MAX_HOGQL) throw new CommandError(`That query is ${hogql.length} characters; saved queries hold up to ${MAX_HOGQL}.`);
  const check = await checkSyntax(hogql);
  if (!check.ok)
    return {
      text: 'HogQL syntax error: nothing was saved',
      blocks: [
        section(syntaxErrorText(check.problem, caretSnippet(check.problem)).replace('Nothing was sent to PostHog.', 'Nothing was saved.')),
      ],
    };
  return saveDraft(ctx, { name: name.data, hogql, replace, by: ctx.userId });
}

async function saveDraft(ctx: CommandContext, p: SavePayload): Promise<PlanDraft<SavePayload>> {
  const existing = await ctx.store.schedules.getQuery(ctx.teamId, p.name);
  if (existing && !p.replace) throw alreadySaved(p.name);
  return {
    title: `${existing ? 'Replace' : 'Save'} saved query ${p.name}`,
    target: [{ label: 'Saved query', value: p.name }],
    changes: [{ what: 'Saved query', before: existing ? 'saved' : 'none', after: existing ? 'replaced' : 'saved' }],
    payload: p,
    fingerprint: existing ? fingerprintOf(existing) : ABSENT,
    subject: {
      type: 'saved_query',
      id: p.name,
      label: p.name,
      before: existing ? { hogql: existing.hogql } : null,
      after: { hogql: p.hogql },
    },
  };
}

const alreadySaved = (name: string) =>
  new CommandError(`There is already a saved query \`${name}\`. Add \`--replace\` to overwrite it, or pick another name.`);

/** At a later Confirm (an approval): saved, replaced or deleted since the plan -> a fresh plan of the same save. */
export async function checkSaveQuery(ctx: CommandContext, p: SavePayload, fingerprint: string): Promise<PlanDraft<SavePayload> | null> {
  const current = await ctx.store.schedules.getQuery(ctx.teamId, p.name);
  return (current ? fingerprintOf(current) : ABSENT) === fingerprint ? null : saveDraft(ctx, p);
}

/** Saves, and offers the inverse: Undo deletes a new query, or puts back the text a replaced one had. */
export async function applySaveQuery(ctx: CommandContext, p: SavePayload): Promise<Applied> {
  const previous = await ctx.store.schedules.getQuery(ctx.teamId, p.name);
  const saved = { teamId: ctx.teamId, name: p.name, hogql: p.hogql, createdBy: p.by, createdAt: ctx.now() };
  const outcome = await ctx.store.schedules.saveQuery(saved, { replace: p.replace });
  if (outcome === 'exists') throw alreadySaved(p.name);
  const message = querySavedMessage({ query: { ...saved, updatedAt: saved.createdAt }, replaced: outcome === 'replaced' });
  const undo = previous && outcome === 'replaced' ? `query save ${p.name} --replace ${previous.hogql}` : `query delete ${p.name}`;
  const after = { hogql: p.hogql };
  if (undo.length > MAX_UNDO_CHARS) return { message, after };
  return { message: { ...message, blocks: [...(message.blocks ?? []), actions(undefined, [undoButton(undo)])] }, after };
}

export const deletePayload = z.object({ name: savedQueryName, hogql: z.string() });
export type DeletePayload = z.infer<typeof deletePayload>;

const fingerprintOf = (query: SavedQuery) => `${query.updatedAt.getTime()}:${query.hogql.length}`;

async function findQuery(ctx: CommandContext, name: string): Promise<SavedQuery> {
  const query = await ctx.store.schedules.getQuery(ctx.teamId, name);
  if (!query) throw new CommandError(`There is no saved query \`${name}\`. See \`/ph queries\`.`);
  return query;
}

export async function planDeleteQuery(ctx: CommandContext, name: string): Promise<PlanDraft<DeletePayload>> {
  const query = await findQuery(ctx, name);
  const usedBy = await digestsUsing(ctx, name);
  return {
    title: `Delete saved query ${name}`,
    target: [{ label: 'Saved query', value: name }],
    changes: [{ what: 'Saved query', before: 'saved', after: 'deleted' }],
    ...(usedBy.length > 0
      ? { warning: `Used by ${usedBy.map((d) => `${d.title} (${d.id})`).join(', ')}: those digests skip it from now on.` }
      : {}),
    payload: { name, hogql: query.hogql },
    fingerprint: fingerprintOf(query),
    subject: { type: 'saved_query', id: name, label: name, before: { hogql: query.hogql }, after: null },
  };
}

/** Confirm's re-read: saved again (or replaced) since the plan -> a fresh plan; gone -> nothing to do. */
export async function checkDeleteQuery(
  ctx: CommandContext,
  p: DeletePayload,
  fingerprint: string,
): Promise<PlanDraft<DeletePayload> | Message | null> {
  const query = await ctx.store.schedules.getQuery(ctx.teamId, p.name);
  if (!query) return { text: `The saved query \`${p.name}\` is already gone. Nothing was changed.` };
  return fingerprintOf(query) === fingerprint ? null : planDeleteQuery(ctx, p.name);
}

export async function applyDeleteQuery(ctx: CommandContext, p: DeletePayload): Promise<Applied> {
  if (!(await ctx.store.schedules.deleteQuery(ctx.teamId, p.name))) {
    throw new CommandError(`There is no saved query \`${p.name}\`. See \`/ph queries\`.`);
  }
  const message = queryDeletedMessage({ name: p.name, usedBy: await digestsUsing(ctx, p.name) });
  const undo = `query save ${p.name} ${p.hogql}`;
  if (undo.length > MAX_UNDO_CHARS) return { message };
  return { message: { ...message, blocks: [...(message.blocks ?? []), actions(undefined, [undoButton(undo)])] } };
}

async function digestsUsing(ctx: CommandContext, name: string): Promise<Array<{ id: string; title: string }>> {
  const digests = await ctx.store.schedules.listSchedules(ctx.teamId, 'digest');
  return digests
    .filter((d) => digestSpecSchema.safeParse(d.spec).data?.items.some((i) => i.kind === 'query' && i.name === name))
    .map((d) => ({ id: d.id, title: d.title }));
}
