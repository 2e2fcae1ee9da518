/** `/ph flag create`: the form's rules (key, rollout, variant splits), shared by the command line and the modal; its plan and apply. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { type FLAG_CREATE_FIELDS, noticeMessage, rolloutSummary } from '../../views/flags.js';
import { CommandError } from '../errors.js';
import { pinnedClient, pinnedTargetShape, pinTarget, targetRows } from '../plans/pinned-target.js';
import { parseSplits, type SplitProblem } from '../posthog/variants.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import { code, flagSchema, flagsPath, inProject, toView } from './flag.js';
import { findExact } from './lookup.js';
import { done } from './write.js';

export interface CreateSpec {
  key: string;
  name: string;
  rollout: number;
  variants: Array<{ key: string; percent: number }>;
}

export type CreateField = keyof typeof FLAG_CREATE_FIELDS;
export type CreateErrors = Partial<Record<CreateField, string>>;

/** PostHog's rule for keys. */
const KEY_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** Reads `control=50, test=50` (see parseSplits). Empty: no variants (a plain on/off flag). */
export function parseVariants(text: string): { variants: CreateSpec['variants'] } | { error: string } {
  if (text.trim() === '') return { variants: [] };
  const parsed = parseSplits(text);
  if ('splits' in parsed) return { variants: parsed.splits };
  return { error: variantsProblem(parsed.problem) };
}

function variantsProblem(p: SplitProblem): string {
  switch (p.kind) {
    case 'malformed':
      return `“${p.item}” is not key=percent (for example control=50).`;
    case 'duplicate':
      return `Variant “${p.key}” appears twice.`;
    case 'too_few':
    case 'missing':
      return 'A multivariate flag needs at least two variants.';
    case 'sum':
      return `The splits add up to ${p.total}%; they must add up to 100%.`;
  }
}

/** The create form's rules, shared by the command line and the modal. */
export function validateCreate(raw: {
  key?: string | null;
  name?: string | null;
  rollout?: string | number | null;
  variants?: string | null;
}): { errors: CreateErrors } | { data: CreateSpec } {
  const errors: CreateErrors = {};
  const key = (raw.key ?? '').trim();
  if (!key) errors.key = 'A key is required.';
  else if (!KEY_PATTERN.test(key)) errors.key = 'Only letters, numbers, hyphens (-) and underscores (_).';
  else if (key.length > 400) errors.key = 'At most 400 characters.';
  const rolloutText = String(raw.rollout ?? '')
    .trim()
    .replace(/%$/, '');
  const rollout = rolloutText === '' ? 0 : Number(rolloutText);
  if (!Number.isInteger(rollout) || rollout < 0 || rollout > 100) errors.rollout = 'A whole number from 0 to 100.';
  const parsed = parseVariants(raw.variants ?? '');
  if ('error' in parsed) errors.variants = parsed.error;
  if (Object.keys(errors).length > 0 || 'error' in parsed) return { errors };
  return { data: { key, name: (raw.name ?? '').trim(), rollout, variants: parsed.variants } };
}

/** The command line's answer to a bad create: each problem named by its option. */
export function createErrorsText(errors: CreateErrors): string {
  return Object.entries(errors)
    .map(([field, text]) => `\`--${field}\`: ${text}`)
    .join(' ');
}

export const createPayload = z.object({
  ...pinnedTargetShape,
  key: z.string(),
  name: z.string(),
  filters: z.record(z.string(), z.unknown()),
});
export type CreatePayload = z.infer<typeof createPayload>;

export async function planCreate(ctx: CommandContext, spec: CreateSpec): Promise<PlanDraft<CreatePayload> | Message> {
  const t = await pinTarget(ctx);
  if (await findExact(ctx, t, spec.key))
    throw new CommandError(`A flag ${code(spec.key)} already exists ${inProject(t)}: see \`/ph flag show ${spec.key}\`.`);
  const variants = spec.variants.map((v) => ({ key: v.key, name: '', rollout_percentage: v.percent }));
  const filters = {
    groups: [{ properties: [], rollout_percentage: spec.rollout }],
    ...(variants.length > 0 ? { multivariate: { variants } } : {}),
  };
  return {
    title: `Create flag ${spec.key}`,
    target: [...targetRows(t), { label: 'Flag', value: `${spec.key} (new)` }],
    changes: [
      { what: 'Flag', before: 'none', after: 'created, on' },
      { what: 'Rollout', before: '—', after: `${spec.rollout}% of everyone` },
      ...(variants.length > 0
        ? [{ what: 'Variants', before: '—', after: spec.variants.map((v) => `${v.key} ${v.percent}%`).join(', ') }]
        : []),
      ...(spec.name ? [{ what: 'Description', before: '—', after: spec.name }] : []),
    ],
    ...(spec.rollout === 0 ? { warning: 'Rollout 0%: nobody gets the flag until you raise it with /ph flag rollout.' } : {}),
    payload: { ...t, key: spec.key, name: spec.name, filters },
    // The object is the key's absence: Confirm refuses if someone created it meanwhile.
    fingerprint: 'absent',
    subject: {
      type: 'feature_flag',
      id: null,
      label: spec.key,
      connectionId: t.connectionId,
      projectId: t.projectId,
      before: null,
      after: { active: true, filters },
    },
  };
}

export async function checkCreate(ctx: CommandContext, p: CreatePayload): Promise<Message | null> {
  return (await findExact(ctx, p, p.key))
    ? noticeMessage(`A flag ${code(p.key)} was created in PostHog meanwhile. Nothing was changed.`)
    : null;
}

export async function applyCreate(ctx: CommandContext, p: CreatePayload): Promise<Applied> {
  const created = await pinnedClient(ctx, p).request('POST', flagsPath(p), flagSchema, {
    body: { key: p.key, name: p.name, active: true, filters: p.filters },
  });
  const result = done(
    ctx,
    p,
    created,
    `Created ${code(created.key)} ${inProject(p)}: on, ${rolloutSummary(toView(created))}.`,
    `flag delete ${created.key}`,
  );
  return { ...result, objectId: String(created.id) };
}
