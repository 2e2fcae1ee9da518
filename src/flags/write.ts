/** What every flag write shares: where its plan says it lands, what the audit log records, and the answer once applied. */
import { outcomeMessage } from '../../views/audit.js';
import { type PinnedTarget, targetRows } from '../plans/pinned-target.js';
import type { Applied, CommandContext, WriteSubject } from '../registry/command.js';
import { type Flag, flagUrl } from './flag.js';
import type { FlagRef } from './lookup.js';

/** The plan's "where": connection, project and the flag itself. */
export function flagTarget(t: PinnedTarget, flag: Pick<Flag, 'id' | 'key'>): Array<{ label: string; value: string }> {
  return [...targetRows(t), { label: 'Flag', value: `${flag.key} (id ${flag.id})` }];
}

export function subjectOf(t: PinnedTarget, flag: Pick<Flag, 'id' | 'key'>, before: unknown, after: unknown): WriteSubject {
  return {
    type: 'feature_flag',
    id: String(flag.id),
    label: flag.key,
    connectionId: t.connectionId,
    projectId: t.projectId,
    before,
    after,
  };
}

/** The answer to an applied write, with its Undo command, and the flag's state afterwards for the audit log. */
export function done(ctx: CommandContext, ref: Pick<FlagRef, 'projectId'>, flag: Flag, text: string, undo: string | null): Applied {
  return {
    message: outcomeMessage({ text, undo, link: { url: flagUrl(ctx, ref, flag.id), label: 'Open in PostHog' } }),
    after: { active: flag.active, deleted: flag.deleted ?? false, version: flag.version ?? null, filters: flag.filters ?? null },
  };
}
