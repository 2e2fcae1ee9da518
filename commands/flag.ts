import { createHash } from 'node:crypto';
import { z } from 'zod';
import { outcomeMessage } from '../views/audit.js';
import { escapeMrkdwn, type Message } from '../views/blocks.js';
import { problemMessage } from '../views/feedback.js';
import {
  conditionLabel,
  FLAG_CREATE_CALLBACK,
  FLAG_CREATE_FIELDS,
  FLAG_FIELD_ACTION,
  FLAG_ROLLOUT_GROUP_ACTION,
  type FlagView,
  flagCardMessage,
  flagConditionPickerMessage,
  flagCreateModal,
  flagCreateOpenedMessage,
  flagListMessage,
  noticeMessage,
  rolloutSummary,
} from '../views/flags.js';
import { projectUrl } from '../views/links.js';
import { hasRole } from '../src/access.js';
import { dispatch } from '../src/dispatch.js';
import { CommandError } from '../src/errors.js';
import { renderHelp } from '../src/help.js';
import { type PinnedTarget, pinnedClient, pinnedTargetShape, pinTarget, proposePlan, targetRows } from '../src/plans.js';
import { isUpstreamError } from '../src/posthog/errors.js';
import { path } from '../src/posthog/path.js';
import { type Applied, type CommandContext, defineCommand, isPlanDraft, type PlanDraft, type WriteSubject } from '../src/registry/command.js';
import { defineAction, defineModal, encodeOrigin, type ModalValues } from '../src/registry/interaction.js';
import { closestMatches } from '../src/registry/suggest.js';

// --- PostHog's flag, as far as Hogbot reads it (loose: everything else passes through a PATCH of `filters` untouched) ---

const propertySchema = z.looseObject({ key: z.string().nullish(), value: z.unknown().optional(), operator: z.string().nullish(), type: z.string().nullish() });
const groupSchema = z.looseObject({ properties: z.array(propertySchema).nullish(), rollout_percentage: z.number().nullish(), variant: z.string().nullish() });
const filtersSchema = z.looseObject({
  groups: z.array(groupSchema).nullish(),
  multivariate: z.looseObject({ variants: z.array(z.looseObject({ key: z.string(), rollout_percentage: z.number() })) }).nullish(),
  payloads: z.record(z.string(), z.unknown()).nullish(),
});
const flagSchema = z.looseObject({
  id: z.number(),
  key: z.string(),
  name: z.string().nullish(),
  active: z.boolean(),
  deleted: z.boolean().nullish(),
  filters: filtersSchema.nullish(),
  version: z.number().nullish(),
  updated_at: z.string().nullish(),
  last_modified_by: z.looseObject({ email: z.string().nullish() }).nullish(),
  experiment_set: z.array(z.number()).nullish(),
  tags: z.array(z.string()).nullish(),
});
type Flag = z.infer<typeof flagSchema>;

/** PostHog's rule for keys. */
const KEY_PATTERN = /^[a-zA-Z0-9_-]+$/;
const SUBCOMMANDS = ['list', 'show', 'on', 'off', 'rollout', 'create', 'delete', 'restore'];
const PAGE_SIZE = 15;

/**
 * What Confirm compares: PostHog bumps `version` on every write (older servers: `updated_at`; else the content itself).
 */
export function fingerprintOf(flag: Flag): string {
  if (typeof flag.version === 'number') return `v${flag.version}`;
  if (flag.updated_at) return `t${flag.updated_at}`;
  const content = JSON.stringify([flag.active, flag.deleted ?? false, flag.filters ?? null]);
  return `h${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
}

function describeProperty(p: z.infer<typeof propertySchema>): string {
  const value = Array.isArray(p.value) ? p.value.join(', ') : String(p.value ?? '');
  if (p.type === 'cohort') return `in cohort ${value}`;
  return `${p.key ?? '?'} ${p.operator ?? 'exact'} ${value}`.trim();
}

function toView(flag: Flag): FlagView {
  const groups = flag.filters?.groups ?? [];
  return {
    id: flag.id,
    key: flag.key,
    name: flag.name ?? '',
    active: flag.active,
    // PostHog treats a condition without a percentage as 100%.
    conditions: groups.map((g) => ({ properties: (g.properties ?? []).map(describeProperty), rollout: g.rollout_percentage ?? 100, variant: g.variant ?? null })),
    variants: (flag.filters?.multivariate?.variants ?? []).map((v) => ({ key: v.key, percent: v.rollout_percentage })),
    hasPayloads: Object.keys(flag.filters?.payloads ?? {}).length > 0,
    version: flag.version ?? null,
    updatedAt: flag.updated_at ?? null,
    updatedBy: flag.last_modified_by?.email ?? null,
    experiments: flag.experiment_set ?? [],
    tags: flag.tags ?? [],
  };
}

const flagsPath = (t: PinnedTarget) => path`/api/projects/${t.projectId}/feature_flags/`;
const flagPath = (t: Pick<PinnedTarget, 'projectId'>, id: number) => path`/api/projects/${t.projectId}/feature_flags/${id}/`;
const flagUrl = (ctx: CommandContext, t: Pick<PinnedTarget, 'projectId'>, id: number) => projectUrl(ctx.config.posthogAppUrl, t.projectId, `/feature_flags/${id}`);
const code = (text: string) => `\`${escapeMrkdwn(text)}\``;
const onOff = (active: boolean) => (active ? 'on' : 'off');

/** The live flag with exactly this key (PostHog's `search` also matches names and substrings), or null. */
async function findExact(ctx: CommandContext, t: PinnedTarget, key: string): Promise<Flag | null> {
  const { items } = await pinnedClient(ctx, t).collect(flagsPath(t), flagSchema, { maxItems: 200, query: { search: key } });
  return items.find((f) => f.key === key) ?? null;
}

/** The flag, or a CommandError naming the closest keys (and the closest subcommand, for `/ph flag lsit`). */
async function findFlag(ctx: CommandContext, t: PinnedTarget, key: string): Promise<Flag> {
  const exact = await findExact(ctx, t, key);
  if (exact) return exact;
  const { items } = await pinnedClient(ctx, t).collect(flagsPath(t), z.looseObject({ key: z.string() }), { maxItems: 1000 });
  const keys = closestMatches(key, items.map((f) => f.key));
  const commands = closestMatches(key, SUBCOMMANDS).filter((c) => c !== key);
  const hints = [...keys.map(code), ...commands.map((c) => `\`/ph flag ${c}\``)];
  const hint = hints.length > 0 ? ` Did you mean ${hints.join(' or ')}?` : ' See `/ph flag list`.';
  throw new CommandError(`No flag ${code(key)} in *${escapeMrkdwn(t.projectName)}*.${hint}`);
}

async function getFlag(ctx: CommandContext, ref: FlagRef): Promise<Flag> {
  return pinnedClient(ctx, ref).request('GET', flagPath(ref, ref.flagId), flagSchema);
}

async function patchFlag(ctx: CommandContext, ref: FlagRef, body: Record<string, unknown>): Promise<Flag> {
  return pinnedClient(ctx, ref).request('PATCH', flagPath(ref, ref.flagId), flagSchema, { body });
}

function subjectOf(t: PinnedTarget, flag: Pick<Flag, 'id' | 'key'>, before: unknown, after: unknown): WriteSubject {
  return { type: 'feature_flag', id: String(flag.id), label: flag.key, connectionId: t.connectionId, projectId: t.projectId, before, after };
}

function done(ctx: CommandContext, ref: FlagRef, flag: Flag, text: string, undo: string | null): Applied {
  return {
    message: outcomeMessage({ text, undo, link: { url: flagUrl(ctx, ref, flag.id), label: 'Open in PostHog' } }),
    after: { active: flag.active, deleted: flag.deleted ?? false, version: flag.version ?? null, filters: flag.filters ?? null },
  };
}

// --- Payloads: every write is pinned to the connection and project its plan showed ---

const flagRefShape = { ...pinnedTargetShape, flagId: z.number().int(), key: z.string() };
type FlagRef = z.infer<z.ZodObject<typeof flagRefShape>>;

/**
 * Confirm's re-read: unchanged -> null (apply); changed -> a fresh plan from the current state; gone -> a notice.
 */
function flagCheck<P extends FlagRef>(replan: (ctx: CommandContext, payload: P) => Promise<PlanDraft<P> | Message>) {
  return async (ctx: CommandContext, payload: P, fingerprint: string): Promise<PlanDraft<P> | Message | null> => {
    let flag: Flag;
    try {
      flag = await getFlag(ctx, payload);
    } catch (error) {
      if (isUpstreamError(error) && error.kind === 'posthog_not_found') return noticeMessage(`${code(payload.key)} no longer exists in PostHog. Nothing was changed.`);
      throw error;
    }
    return fingerprintOf(flag) === fingerprint ? null : replan(ctx, payload);
  };
}

const flagKey = z.string().min(1).max(400);
/** `50`, `50%`; PostHog takes whole percentages from 0 to 100. */
const percent = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().replace(/%$/, '') : v),
  z.coerce.number({ message: 'must be a number from 0 to 100' }).int('must be a whole number from 0 to 100').min(0, 'must be from 0 to 100').max(100, 'must be from 0 to 100 (a share of users)'),
);

// --- Reading ---

const list = defineCommand({
  name: 'flag list',
  aliases: ['flags'],
  summary: 'Feature flags in the project, newest first',
  usage: '[search] [--active|--inactive]',
  examples: ['/ph flag list checkout --active'],
  args: z.object({
    search: z.string().optional(),
    active: z.boolean().optional(),
    inactive: z.boolean().optional(),
    offset: z.coerce.number().int().min(0).optional(),
  }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, args) => {
    if (args.active && args.inactive) throw new CommandError('Pick one of `--active` and `--inactive`.');
    const t = await pinTarget(ctx);
    const offset = args.offset ?? 0;
    const search = args.search?.trim() || null;
    const query = { search: search ?? undefined, active: args.active ? 'true' : args.inactive ? 'false' : undefined };
    const page = await pinnedClient(ctx, t).listPage(flagsPath(t), flagSchema, { limit: PAGE_SIZE, offset, query });
    const command = ['flag list', search ? `"${search.replace(/"/g, '')}"` : '', args.active ? '--active' : '', args.inactive ? '--inactive' : ''].filter(Boolean).join(' ');
    return flagListMessage({ flags: page.results.map(toView), projectName: t.projectName, search, offset, total: page.count, nextOffset: page.nextOffset, command });
  },
});

const show = defineCommand({
  name: 'flag show',
  aliases: ['flag'],
  summary: 'One flag: status, rollout per release condition, variants, payloads, last change',
  usage: '<key>',
  examples: ['/ph flag dark-mode'],
  args: z.object({ key: flagKey.optional() }),
  positional: ['key'],
  mutates: false,
  role: 'reader',
  run: async (ctx, { key }) => {
    if (!key) return renderHelp(ctx.registry, 'flag');
    const t = await pinTarget(ctx);
    const flag = await findFlag(ctx, t, key);
    return flagCardMessage({ flag: toView(flag), projectName: t.projectName, url: flagUrl(ctx, t, flag.id) });
  },
});

// --- On / off ---

const togglePayload = z.object({ ...flagRefShape, active: z.boolean() });
type TogglePayload = z.infer<typeof togglePayload>;

async function planToggle(ctx: CommandContext, key: string, active: boolean): Promise<PlanDraft<TogglePayload> | Message> {
  const t = await pinTarget(ctx);
  const flag = await findFlag(ctx, t, key);
  if (flag.active === active) return noticeMessage(`${code(flag.key)} is already ${onOff(active)} in *${escapeMrkdwn(t.projectName)}*. Nothing to do.`);
  const experiments = flag.experiment_set ?? [];
  const warning = active
    ? `Its release conditions apply again: ${rolloutSummary(toView(flag))}.`
    : experiments.length > 0
      ? `Experiment ${experiments.map((id) => `#${id}`).join(', ')} uses this flag: turning it off stops its variants for everyone.`
      : `It reaches ${rolloutSummary(toView(flag))} today; everyone who evaluates it gets false from now on.`;
  return {
    title: `Turn ${onOff(active)} ${flag.key}`,
    target: [...targetRows(t), { label: 'Flag', value: `${flag.key} (id ${flag.id})` }],
    changes: [{ what: 'Active', before: onOff(flag.active), after: onOff(active) }],
    warning,
    payload: { ...t, flagId: flag.id, key: flag.key, active },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(t, flag, { active: flag.active }, { active }),
  };
}

function toggle(active: boolean) {
  const word = onOff(active);
  return defineCommand({
    name: `flag ${word}`,
    summary: active ? 'Turn a flag on (its release conditions apply again)' : 'Turn a flag off for everyone',
    usage: '<key>',
    examples: [`/ph flag ${word} dark-mode`],
    args: z.object({ key: flagKey }),
    positional: ['key'],
    mutates: true,
    role: 'writer',
    payload: togglePayload,
    plan: (ctx, { key }) => planToggle(ctx, key, active),
    check: flagCheck((ctx, p: TogglePayload) => planToggle(ctx, p.key, p.active)),
    apply: async (ctx, p) => {
      const flag = await patchFlag(ctx, p, { active: p.active });
      return done(ctx, p, flag, `Turned *${word}* ${code(flag.key)} in *${escapeMrkdwn(p.projectName)}*.`, `flag ${onOff(!p.active)} ${flag.key}`);
    },
  });
}

// --- Rollout ---

const rolloutPayload = z.object({ ...flagRefShape, group: z.number().int().min(0), percent: z.number().int().min(0).max(100), before: z.number(), conditions: z.number().int() });
type RolloutPayload = z.infer<typeof rolloutPayload>;

async function planRollout(ctx: CommandContext, key: string, target: number, group: number | undefined): Promise<PlanDraft<RolloutPayload> | Message> {
  const t = await pinTarget(ctx);
  const flag = await findFlag(ctx, t, key);
  const view = toView(flag);
  if (view.conditions.length === 0) throw new CommandError(`${code(flag.key)} has no release conditions to roll out. Add one in PostHog.`);
  if (group === undefined && view.conditions.length > 1) return flagConditionPickerMessage({ key: flag.key, percent: target, conditions: view.conditions });
  const index = (group ?? 1) - 1;
  const condition = view.conditions[index];
  if (!condition) throw new CommandError(`${code(flag.key)} has ${view.conditions.length} release condition${view.conditions.length === 1 ? '' : 's'}: use \`--group\` 1 to ${view.conditions.length}.`);
  if (condition.rollout === target) return noticeMessage(`${code(flag.key)} (condition ${index + 1}) already rolls out to ${target}%. Nothing to do.`);
  const warnings = [
    flag.active ? null : 'The flag is off: the new rollout applies once it is turned on.',
    target < condition.rollout ? `Users between ${target}% and ${condition.rollout}% of this condition lose the flag.` : null,
  ].filter((w): w is string => w !== null);
  return {
    title: `Roll out ${flag.key} to ${target}%`,
    target: [...targetRows(t), { label: 'Flag', value: `${flag.key} (id ${flag.id})` }, { label: 'Release condition', value: conditionLabel(condition, index) }],
    changes: [{ what: `Rollout (condition ${index + 1})`, before: `${condition.rollout}%`, after: `${target}%` }],
    ...(warnings.length > 0 ? { warning: warnings.join(' ') } : {}),
    payload: { ...t, flagId: flag.id, key: flag.key, group: index, percent: target, before: condition.rollout, conditions: view.conditions.length },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(t, flag, { condition: index + 1, rollout_percentage: condition.rollout }, { condition: index + 1, rollout_percentage: target }),
  };
}

const rollout = defineCommand({
  name: 'flag rollout',
  summary: 'Set the share of users a flag’s release condition reaches',
  usage: '<key> <0-100> [--group N]',
  examples: ['/ph flag rollout ai-insights 25', '/ph flag rollout beta-dashboard 50 --group 2'],
  args: z.object({ key: flagKey, percent, group: z.coerce.number().int().min(1, 'is a release condition number, from 1').optional() }),
  positional: ['key', 'percent'],
  mutates: true,
  role: 'writer',
  payload: rolloutPayload,
  plan: (ctx, args) => planRollout(ctx, args.key, args.percent, args.group),
  check: flagCheck((ctx, p: RolloutPayload) => planRollout(ctx, p.key, p.percent, p.group + 1)),
  // PostHog takes `filters` whole: read them, change the one percentage, send them all back.
  apply: async (ctx, p) => {
    const current = await getFlag(ctx, p);
    const filters = structuredClone(current.filters ?? {});
    const group = filters.groups?.[p.group];
    if (!group) throw new CommandError(`${code(p.key)} no longer has release condition ${p.group + 1}. Nothing was changed.`);
    group.rollout_percentage = p.percent;
    const flag = await patchFlag(ctx, p, { filters });
    const which = p.conditions > 1 ? ` (condition ${p.group + 1})` : '';
    const undo = `flag rollout ${flag.key} ${p.before}${p.conditions > 1 ? ` --group ${p.group + 1}` : ''}`;
    return done(ctx, p, flag, `Rolled out ${code(flag.key)}${which} to *${p.percent}%* in *${escapeMrkdwn(p.projectName)}* (was ${p.before}%).`, undo);
  },
});

// --- Create ---

export interface CreateSpec {
  key: string;
  name: string;
  rollout: number;
  variants: Array<{ key: string; percent: number }>;
}

type CreateField = keyof typeof FLAG_CREATE_FIELDS;

/** Reads `control=50, test=50` (commas or new lines; `=`, `:` or a space). The splits must add up to 100. */
export function parseVariants(text: string): { variants: CreateSpec['variants'] } | { error: string } {
  const parts = text.split(/[\n,]+/).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return { variants: [] };
  const variants: CreateSpec['variants'] = [];
  for (const part of parts) {
    const match = /^([A-Za-z0-9_-]+)\s*[=:\s]\s*(\d+)\s*%?$/.exec(part);
    if (!match) return { error: `“${part}” is not key=percent (for example control=50).` };
    if (variants.some((v) => v.key === match[1])) return { error: `Variant “${match[1]}” appears twice.` };
    variants.push({ key: match[1]!, percent: Number(match[2]) });
  }
  if (variants.length < 2) return { error: 'A multivariate flag needs at least two variants.' };
  const sum = variants.reduce((total, v) => total + v.percent, 0);
  if (sum !== 100) return { error: `The splits add up to ${sum}%; they must add up to 100%.` };
  return { variants };
}

/** The create form's rules, shared by the command line and the modal. */
export function validateCreate(raw: { key?: string | null; name?: string | null; rollout?: string | number | null; variants?: string | null }): { errors: Partial<Record<CreateField, string>> } | { data: CreateSpec } {
  const errors: Partial<Record<CreateField, string>> = {};
  const key = (raw.key ?? '').trim();
  if (!key) errors.key = 'A key is required.';
  else if (!KEY_PATTERN.test(key)) errors.key = 'Only letters, numbers, hyphens (-) and underscores (_).';
  else if (key.length > 400) errors.key = 'At most 400 characters.';
  const rolloutText = String(raw.rollout ?? '').trim().replace(/%$/, '');
  const rollout = rolloutText === '' ? 0 : Number(rolloutText);
  if (!Number.isInteger(rollout) || rollout < 0 || rollout > 100) errors.rollout = 'A whole number from 0 to 100.';
  const parsed = parseVariants(raw.variants ?? '');
  if ('error' in parsed) errors.variants = parsed.error;
  if (Object.keys(errors).length > 0 || 'error' in parsed) return { errors };
  return { data: { key, name: (raw.name ?? '').trim(), rollout, variants: parsed.variants } };
}

const createPayload = z.object({ ...pinnedTargetShape, key: z.string(), name: z.string(), filters: z.record(z.string(), z.unknown()) });
type CreatePayload = z.infer<typeof createPayload>;

async function planCreate(ctx: CommandContext, spec: CreateSpec): Promise<PlanDraft<CreatePayload> | Message> {
  const t = await pinTarget(ctx);
  if (await findExact(ctx, t, spec.key)) throw new CommandError(`A flag ${code(spec.key)} already exists in *${escapeMrkdwn(t.projectName)}*: see \`/ph flag show ${spec.key}\`.`);
  const variants = spec.variants.map((v) => ({ key: v.key, name: '', rollout_percentage: v.percent }));
  const filters = { groups: [{ properties: [], rollout_percentage: spec.rollout }], ...(variants.length > 0 ? { multivariate: { variants } } : {}) };
  return {
    title: `Create flag ${spec.key}`,
    target: [...targetRows(t), { label: 'Flag', value: `${spec.key} (new)` }],
    changes: [
      { what: 'Flag', before: 'none', after: 'created, on' },
      { what: 'Rollout', before: '—', after: `${spec.rollout}% of everyone` },
      ...(variants.length > 0 ? [{ what: 'Variants', before: '—', after: spec.variants.map((v) => `${v.key} ${v.percent}%`).join(', ') }] : []),
      ...(spec.name ? [{ what: 'Description', before: '—', after: spec.name }] : []),
    ],
    ...(spec.rollout === 0 ? { warning: 'Rollout 0%: nobody gets the flag until you raise it with /ph flag rollout.' } : {}),
    payload: { ...t, key: spec.key, name: spec.name, filters },
    // The object is the key's absence: Confirm refuses if someone created it meanwhile.
    fingerprint: 'absent',
    subject: { type: 'feature_flag', id: null, label: spec.key, connectionId: t.connectionId, projectId: t.projectId, before: null, after: { active: true, filters } },
  };
}

const create = defineCommand({
  name: 'flag create',
  summary: 'Create a flag (no arguments: open the full form, with variants)',
  usage: '[key] [--rollout N] [--name "..."] [--variants "control=50,test=50"]',
  examples: ['/ph flag create new-checkout --rollout 10 --name "New checkout"', '/ph flag create'],
  args: z.object({ key: z.string().optional(), rollout: z.string().optional(), name: z.string().max(400).optional(), variants: z.string().optional() }),
  positional: ['key'],
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx, args) => {
    if (!args.key) {
      // The trigger_id lives 3 s: open the form before any PostHog call.
      await ctx.openModal(flagCreateModal({ privateMetadata: encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl }) }));
      return flagCreateOpenedMessage();
    }
    const checked = validateCreate(args);
    if ('errors' in checked) throw new CommandError(Object.entries(checked.errors).map(([field, text]) => `\`--${field}\`: ${text}`).join(' '));
    return planCreate(ctx, checked.data);
  },
  check: async (ctx, p) => ((await findExact(ctx, p, p.key)) ? noticeMessage(`A flag ${code(p.key)} was created in PostHog meanwhile. Nothing was changed.`) : null),
  apply: async (ctx, p) => {
    const created = await pinnedClient(ctx, p).request('POST', flagsPath(p), flagSchema, { body: { key: p.key, name: p.name, active: true, filters: p.filters } });
    const ref = { ...p, flagId: created.id };
    const result = done(ctx, ref, created, `Created ${code(created.key)} in *${escapeMrkdwn(p.projectName)}*: on, ${rolloutSummary(toView(created))}.`, `flag delete ${created.key}`);
    return { ...result, objectId: String(created.id) };
  },
});

// --- Delete (soft) and restore ---

const refPayload = z.object(flagRefShape);
type RefPayload = z.infer<typeof refPayload>;

async function planDelete(ctx: CommandContext, key: string): Promise<PlanDraft<RefPayload> | Message> {
  const t = await pinTarget(ctx);
  const flag = await findFlag(ctx, t, key);
  const experiments = flag.experiment_set ?? [];
  if (experiments.length > 0) {
    throw new CommandError(`${code(flag.key)} is used by experiment ${experiments.map((id) => `#${id}`).join(', ')}; PostHog won’t delete it. Delete the experiment first.`);
  }
  return {
    title: `Delete flag ${flag.key}`,
    target: [...targetRows(t), { label: 'Flag', value: `${flag.key} (id ${flag.id})` }],
    changes: [{ what: 'Deleted', before: 'no', after: 'yes (soft delete, restorable)' }],
    warning: `Code that evaluates ${flag.key} gets false (or its fallback) from now on.`,
    payload: { ...t, flagId: flag.id, key: flag.key },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(t, flag, { deleted: false, active: flag.active }, { deleted: true }),
  };
}

async function planRestore(ctx: CommandContext, id: number): Promise<PlanDraft<RefPayload> | Message> {
  const t = await pinTarget(ctx);
  let flag: Flag;
  try {
    flag = await getFlag(ctx, { ...t, flagId: id, key: String(id) });
  } catch (error) {
    if (isUpstreamError(error) && error.kind === 'posthog_not_found') throw new CommandError(`No flag with id \`${id}\` in *${escapeMrkdwn(t.projectName)}*.`);
    throw error;
  }
  if (!flag.deleted) return noticeMessage(`${code(flag.key)} is not deleted. Nothing to do.`);
  return {
    title: `Restore flag ${flag.key}`,
    target: [...targetRows(t), { label: 'Flag', value: `${flag.key} (id ${flag.id})` }],
    changes: [{ what: 'Deleted', before: 'yes', after: 'no' }],
    warning: `It comes back ${onOff(flag.active)}: ${rolloutSummary(toView(flag))}.`,
    payload: { ...t, flagId: flag.id, key: flag.key },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(t, flag, { deleted: true }, { deleted: false, active: flag.active }),
  };
}

const remove = defineCommand({
  name: 'flag delete',
  summary: 'Delete a flag (soft delete: Undo restores it)',
  usage: '<key>',
  args: z.object({ key: flagKey }),
  positional: ['key'],
  mutates: true,
  role: 'writer',
  payload: refPayload,
  plan: (ctx, { key }) => planDelete(ctx, key),
  check: flagCheck((ctx, p: RefPayload) => planDelete(ctx, p.key)),
  apply: async (ctx, p) => {
    const flag = await patchFlag(ctx, p, { deleted: true });
    return done(ctx, p, flag, `Deleted ${code(flag.key)} in *${escapeMrkdwn(p.projectName)}* (id \`${flag.id}\`).`, `flag restore ${flag.id}`);
  },
});

const restore = defineCommand({
  name: 'flag restore',
  summary: 'Bring back a deleted flag, by the id its deletion showed',
  usage: '<id>',
  args: z.object({ id: z.coerce.number().int().positive('is a flag id') }),
  positional: ['id'],
  mutates: true,
  role: 'writer',
  payload: refPayload,
  plan: (ctx, { id }) => planRestore(ctx, id),
  check: flagCheck((ctx, p: RefPayload) => planRestore(ctx, p.flagId)),
  apply: async (ctx, p) => {
    const flag = await patchFlag(ctx, p, { deleted: false });
    return done(ctx, p, flag, `Restored ${code(flag.key)} in *${escapeMrkdwn(p.projectName)}*: it is ${onOff(flag.active)}.`, `flag delete ${flag.key}`);
  },
});

// --- Buttons, selects and the create form ---

const field = (values: ModalValues, name: CreateField) => values[FLAG_CREATE_FIELDS[name]]?.[FLAG_FIELD_ACTION]?.value ?? null;

export const interactions = [
  defineAction({
    actionId: FLAG_ROLLOUT_GROUP_ACTION,
    run: async (ctx, input) => {
      if (!input.value?.startsWith('flag rollout ')) return null;
      return { message: (await dispatch(ctx, input.value)).message, replace: true };
    },
  }),
  defineModal<CreateSpec>({
    callbackId: FLAG_CREATE_CALLBACK,
    validate: (values) => {
      const checked = validateCreate({ key: field(values, 'key'), name: field(values, 'name'), rollout: field(values, 'rollout'), variants: field(values, 'variants') });
      if ('data' in checked) return checked;
      return { errors: Object.fromEntries(Object.entries(checked.errors).map(([name, text]) => [FLAG_CREATE_FIELDS[name as CreateField], text])) };
    },
    submit: async (ctx, spec) => {
      const role = await ctx.role();
      if (!hasRole(role, 'writer')) return problemMessage(`Creating a flag needs the writer role; you are a ${role}.`);
      const draft = await planCreate(ctx, spec);
      return isPlanDraft(draft) ? proposePlan(ctx, create, draft) : draft;
    },
  }),
];

export default [list, show, toggle(true), toggle(false), rollout, create, remove, restore];
