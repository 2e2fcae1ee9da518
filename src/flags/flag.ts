/** PostHog's feature flag as Hogbot reads it, where it lives, and the view the cards render from it. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { escapeMrkdwn } from '../../views/blocks.js';
import type { FlagView } from '../../views/flags.js';
import { projectUrl } from '../../views/links.js';
import type { PinnedTarget } from '../plans/pinned-target.js';
import { path } from '../posthog/path.js';
import type { CommandContext } from '../registry/command.js';

// Loose: everything else passes through a PATCH of `filters` untouched.
const propertySchema = z.looseObject({
  key: z.string().nullish(),
  value: z.unknown().optional(),
  operator: z.string().nullish(),
  type: z.string().nullish(),
});
const groupSchema = z.looseObject({
  properties: z.array(propertySchema).nullish(),
  rollout_percentage: z.number().nullish(),
  variant: z.string().nullish(),
});
const filtersSchema = z.looseObject({
  groups: z.array(groupSchema).nullish(),
  multivariate: z.looseObject({ variants: z.array(z.looseObject({ key: z.string(), rollout_percentage: z.number() })) }).nullish(),
  payloads: z.record(z.string(), z.unknown()).nullish(),
});
export const flagSchema = z.looseObject({
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
export type Flag = z.infer<typeof flagSchema>;

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

export function toView(flag: Flag): FlagView {
  const groups = flag.filters?.groups ?? [];
  return {
    id: flag.id,
    key: flag.key,
    name: flag.name ?? '',
    active: flag.active,
    // PostHog treats a condition without a percentage as 100%.
    conditions: groups.map((g) => ({
      properties: (g.properties ?? []).map(describeProperty),
      rollout: g.rollout_percentage ?? 100,
      variant: g.variant ?? null,
    })),
    variants: (flag.filters?.multivariate?.variants ?? []).map((v) => ({ key: v.key, percent: v.rollout_percentage })),
    hasPayloads: Object.keys(flag.filters?.payloads ?? {}).length > 0,
    version: flag.version ?? null,
    updatedAt: flag.updated_at ?? null,
    updatedBy: flag.last_modified_by?.email ?? null,
    experiments: flag.experiment_set ?? [],
    tags: flag.tags ?? [],
  };
}

export const flagsPath = (t: Pick<PinnedTarget, 'projectId'>) => path`/api/projects/${t.projectId}/feature_flags/`;
export const flagPath = (t: Pick<PinnedTarget, 'projectId'>, id: number) => path`/api/projects/${t.projectId}/feature_flags/${id}/`;
export const flagUrl = (ctx: CommandContext, t: Pick<PinnedTarget, 'projectId'>, id: number) =>
  projectUrl(ctx.config.posthogAppUrl, t.projectId, `/feature_flags/${id}`);

/** A key (or other literal) in mrkdwn: `dark-mode`. */
export const code = (text: string) => `\`${escapeMrkdwn(text)}\``;
export const onOff = (active: boolean) => (active ? 'on' : 'off');
/** `in *Acme Web*`: where the answer happened. */
export const inProject = (t: Pick<PinnedTarget, 'projectName'>) => `in *${escapeMrkdwn(t.projectName)}*`;
