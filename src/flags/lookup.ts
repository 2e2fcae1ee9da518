/** Finding the flag a user means: by exact key (with the closest keys when there is none), or by the id a payload pinned. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { noticeMessage } from '../../views/flags.js';
import { CommandError } from '../errors.js';
import { type PinnedTarget, pinnedClient, pinnedTargetShape } from '../plans/pinned-target.js';
import { orNullOn404 } from '../posthog/errors.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { closestMatches } from '../registry/suggest.js';
import { code, type Flag, fingerprintOf, flagPath, flagSchema, flagsPath, inProject } from './flag.js';

/** The `/ph flag` subcommands, suggested when a "key" is a typo of one (`/ph flag lsit`). */
const SUBCOMMANDS = ['list', 'show', 'on', 'off', 'rollout', 'create', 'delete', 'restore'];

/** A write's payload names its flag by id, pinned to the connection and project its plan showed; the key is for messages. */
export const flagRefShape = { ...pinnedTargetShape, flagId: z.number().int(), key: z.string() };
export type FlagRef = z.infer<z.ZodObject<typeof flagRefShape>>;

/** The live flag with exactly this key (PostHog's `search` also matches names and substrings), or null. */
export async function findExact(ctx: CommandContext, t: PinnedTarget, key: string): Promise<Flag | null> {
  const { items } = await pinnedClient(ctx, t).collect(flagsPath(t), flagSchema, { maxItems: 200, query: { search: key } });
  return items.find((f) => f.key === key) ?? null;
}

/** The flag, or a CommandError naming the closest keys (and the closest subcommand, for `/ph flag lsit`). */
export async function findFlag(ctx: CommandContext, t: PinnedTarget, key: string): Promise<Flag> {
  const exact = await findExact(ctx, t, key);
  if (exact) return exact;
  const { items } = await pinnedClient(ctx, t).collect(flagsPath(t), z.looseObject({ key: z.string() }), { maxItems: 1000 });
  const keys = closestMatches(
    key,
    items.map((f) => f.key),
  );
  const commands = closestMatches(key, SUBCOMMANDS).filter((c) => c !== key);
  const hints = [...keys.map(code), ...commands.map((c) => `\`/ph flag ${c}\``)];
  const hint = hints.length > 0 ? ` Did you mean ${hints.join(' or ')}?` : ' See `/ph flag list`.';
  throw new CommandError(`No flag ${code(key)} ${inProject(t)}.${hint}`);
}

/** The flag by id, deleted or not; null on PostHog's 404. */
export async function flagById(ctx: CommandContext, ref: Omit<FlagRef, 'key'>): Promise<Flag | null> {
  return orNullOn404(() => getFlag(ctx, ref));
}

export async function getFlag(ctx: CommandContext, ref: Omit<FlagRef, 'key'>): Promise<Flag> {
  return pinnedClient(ctx, ref).request('GET', flagPath(ref, ref.flagId), flagSchema);
}

/**
 * Every flag write carries the flag as Hogbot read it: `version` and `original_flag`. Only then does PostHog refuse
 * (409 conflict) to overwrite a field someone else changed since (posthog/api/feature_flag.py `update()`,
 * `_get_conflicting_changes()`); without them the write simply wins. `read` is that flag; without it, it is read now.
 */
export async function patchFlag(ctx: CommandContext, ref: FlagRef, body: Record<string, unknown>, read?: Flag): Promise<Flag> {
  const asRead = read ?? (await getFlag(ctx, ref));
  const guard = typeof asRead.version === 'number' ? { version: asRead.version, original_flag: asRead } : {};
  return pinnedClient(ctx, ref).request('PATCH', flagPath(ref, ref.flagId), flagSchema, { body: { ...body, ...guard } });
}

/**
 * Confirm's re-read: unchanged -> null (apply); changed -> a fresh plan from the current state; gone -> a notice.
 */
export function flagCheck<P extends FlagRef>(replan: (ctx: CommandContext, payload: P) => Promise<PlanDraft<P> | Message>) {
  return async (ctx: CommandContext, payload: P, fingerprint: string): Promise<PlanDraft<P> | Message | null> => {
    const flag = await flagById(ctx, payload);
    if (!flag) return noticeMessage(`${code(payload.key)} no longer exists in PostHog. Nothing was changed.`);
    return fingerprintOf(flag) === fingerprint ? null : replan(ctx, payload);
  };
}
