/**
 * What `/ph experiment create` needs, checked the same way whether it came from the modal or from flags: a name, a
 * flag key PostHog accepts, two or more variants (one of them `control`) whose splits add up to 100, and the event that
 * counts as a conversion. Pure.
 */
import { z } from 'zod';
import { parseSplits, type SplitProblem } from '../posthog/variants.js';

export interface VariantSplit {
  key: string;
  rollout_percentage: number;
}

export interface ExperimentDraft {
  name: string;
  description: string;
  flagKey: string;
  variants: VariantSplit[];
  metricEvent: string;
}

export const DEFAULT_VARIANTS = 'control:50, test:50';

export const draftSchema = z.object({
  name: z.string().min(1).max(400),
  description: z.string().max(3000),
  flagKey: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/),
  variants: z.array(z.object({ key: z.string().min(1), rollout_percentage: z.number().int().min(0).max(100) })).min(2),
  metricEvent: z.string().min(1).max(400),
});

export type DraftField = keyof ExperimentDraft;

/** Field -> problem, for the modal's inline errors and the command's usage message alike. */
export type DraftProblems = Partial<Record<DraftField, string>>;

/** `control:50, test:50` (commas or new lines; `=` or spaces work as separators too) -> splits, or the problem. */
export function parseVariants(text: string): { variants: VariantSplit[] } | { problem: string } {
  const parsed = parseSplits(text, { required: 'control' });
  if (!('splits' in parsed)) return { problem: variantsProblem(parsed.problem) };
  return { variants: parsed.splits.map((s) => ({ key: s.key, rollout_percentage: s.percent })) };
}

function variantsProblem(p: SplitProblem): string {
  switch (p.kind) {
    case 'malformed':
      return `“${p.item}” is not \`key:percent\` (e.g. ${DEFAULT_VARIANTS}).`;
    case 'duplicate':
      return `Variant \`${p.key}\` appears twice.`;
    case 'too_few':
      return `An experiment needs at least two variants, e.g. ${DEFAULT_VARIANTS}.`;
    case 'missing':
      return 'One variant must be called `control` (PostHog compares the others with it).';
    case 'sum':
      return `The splits add up to ${p.total}%, not 100%.`;
  }
}

export function checkDraft(input: {
  name?: string | null;
  description?: string | null;
  flagKey?: string | null;
  variants?: string | null;
  metricEvent?: string | null;
}): { draft: ExperimentDraft } | { problems: DraftProblems } {
  const problems: DraftProblems = {};
  const name = (input.name ?? '').trim();
  const flagKey = (input.flagKey ?? '').trim();
  const metricEvent = (input.metricEvent ?? '').trim();
  const description = (input.description ?? '').trim();
  if (name === '') problems.name = 'Give the experiment a name.';
  else if (name.length > 400) problems.name = 'Keep the name under 400 characters.';
  if (flagKey === '') problems.flagKey = 'Give the feature flag a key, e.g. `new-checkout`.';
  else if (!/^[A-Za-z0-9_-]{1,400}$/.test(flagKey)) problems.flagKey = 'Flag keys use only letters, numbers, `-` and `_`.';
  if (metricEvent === '') problems.metricEvent = 'Name the event that counts as a conversion, e.g. `purchase`.';
  else if (metricEvent.length > 400) problems.metricEvent = 'That event name is too long.';
  if (description.length > 3000) problems.description = 'Keep the description under 3000 characters.';
  const parsed = parseVariants(input.variants?.trim() || DEFAULT_VARIANTS);
  if ('problem' in parsed) problems.variants = parsed.problem;
  if (Object.keys(problems).length > 0 || 'problem' in parsed) return { problems };
  return { draft: { name, description, flagKey, variants: parsed.variants, metricEvent } };
}
