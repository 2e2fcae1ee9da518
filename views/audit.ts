import type { AuditEntry } from '../src/store/store.js';
import { actions, button, context, escapeMrkdwn, type KnownBlock, type Message, section, truncate } from './blocks.js';
import { pagerBlocks } from './pager.js';

/** Undo on an outcome: the button carries the inverse `/ph` command, which plans (and needs Confirm) like any write. */
export const UNDO_ACTION = 'hogbot_undo';
/** A link button (to PostHog) still sends an action: it is acked and ignored. */
export const LINK_ACTION = 'hogbot_link';

export function undoButton(commandText: string) {
  return button({ text: 'Undo', actionId: UNDO_ACTION, value: commandText });
}

/** A write's outcome with its Undo button (when it can be undone). */
export function outcomeMessage(model: {
  text: string;
  detail?: string;
  undo?: string | null;
  link?: { url: string; label: string } | null;
}): Message {
  const blocks: KnownBlock[] = [section(`:white_check_mark: ${model.text}${model.detail ? `\n${model.detail}` : ''}`)];
  const buttons = [
    ...(model.undo ? [undoButton(model.undo)] : []),
    ...(model.link ? [button({ text: model.link.label, actionId: LINK_ACTION, url: model.link.url })] : []),
  ];
  if (buttons.length > 0) blocks.push(actions('hogbot_outcome', buttons));
  return { text: model.text.replace(/\*/g, ''), blocks };
}

/** `<!date^…>` renders in each reader's own time zone; the fallback is UTC. */
export function slackDate(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${at.toISOString().replace('.000Z', 'Z')}>`;
}

const OUTCOME: Record<AuditEntry['outcome'], string> = {
  done: ':white_check_mark: done',
  failed: ':x: failed',
  executing: ':grey_question: outcome unknown (interrupted while applying)',
  pending_posthog: ':hourglass_flowing_sand: pending approval in PostHog (nothing changed yet)',
};

/** Fields that change on every write and say nothing about what was changed. */
const NOISE = new Set(['updated_at', 'last_modified_at', 'modified_at', 'version', 'etag']);
const MAX_FIELDS = 6;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One value in words: yes/no, numbers and text as they are, lists and objects as short JSON. */
function word(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return truncate(String(value), 80);
  return truncate(JSON.stringify(value), 80);
}

const field = (key: string) => key.replace(/_/g, ' ');

/**
 * What changed, as people read it: `active: yes → no` per changed field (at most a few), rather than two JSON objects.
 * A created object lists its first fields; a deleted one says so.
 */
export function changeText(before: unknown, after: unknown): string {
  if (before === null || before === undefined) {
    if (after === null || after === undefined) return '';
    if (!isPlain(after)) return `created: ${escapeMrkdwn(word(after))}`;
    const shown = Object.entries(after)
      .filter(([k, v]) => !NOISE.has(k) && v !== null && v !== undefined && !isPlain(v))
      .slice(0, MAX_FIELDS);
    return `created: ${shown.map(([k, v]) => `${escapeMrkdwn(field(k))} ${escapeMrkdwn(word(v))}`).join(', ') || 'new object'}`;
  }
  if (after === null || after === undefined) return 'deleted';
  if (!isPlain(before) || !isPlain(after)) return `${escapeMrkdwn(word(before))} → *${escapeMrkdwn(word(after))}*`;
  // `before` holds the fields the change touches; `after` is often the whole object PostHog returned, whose other
  // fields did not change. Compare the touched fields only (all of them when `before` is empty).
  const touched = Object.keys(before).length > 0 ? Object.keys(before) : Object.keys(after);
  const keys = touched.filter((k) => !NOISE.has(k));
  const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length === 0) return 'no field changed';
  const lines = changed
    .slice(0, MAX_FIELDS)
    .map((k) => `${escapeMrkdwn(field(k))}: ${escapeMrkdwn(word(before[k]))} → *${escapeMrkdwn(word(after[k]))}*`);
  if (changed.length > MAX_FIELDS) lines.push(`and ${changed.length - MAX_FIELDS} more`);
  return lines.join(' · ');
}

function where(entry: AuditEntry): string {
  const parts = [
    entry.objectLabel
      ? `${entry.objectType ?? 'object'} *${escapeMrkdwn(entry.objectLabel)}*${entry.objectId ? ` (\`${escapeMrkdwn(entry.objectId)}\`)` : ''}`
      : null,
    entry.projectId !== null ? `project \`${entry.projectId}\`` : null,
    entry.connectionId
      ? `connection \`${escapeMrkdwn(entry.connectionId)}\``
      : entry.projectId !== null
        ? 'gateway default connection'
        : null,
  ];
  return parts.filter((p) => p !== null).join(' · ');
}

function who(entry: AuditEntry): string {
  const confirmed = entry.confirmedBy && entry.confirmedBy !== entry.userId ? `, confirmed by <@${entry.confirmedBy}>` : '';
  const approved = entry.approvedBy ? `, approved by <@${entry.approvedBy}>` : '';
  return `<@${entry.userId}>${confirmed}${approved}`;
}

function entryText(entry: AuditEntry): string {
  const lines = [
    `*${escapeMrkdwn(entry.title)}* — ${OUTCOME[entry.outcome]}`,
    `${who(entry)} · ${slackDate(entry.at)} · \`/ph ${escapeMrkdwn(entry.command)}\``,
    where(entry),
    changeText(entry.before, entry.after),
    entry.detail ? `_${escapeMrkdwn(truncate(entry.detail, 300))}_` : '',
  ];
  return lines.filter(Boolean).join('\n');
}

/** One change, as posted to the audit channel. */
export function auditEntryMessage(entry: AuditEntry): Message {
  return { text: `${entry.title} (${entry.outcome}) by <@${entry.userId}>`, blocks: [section(`:scroll: ${entryText(entry)}`)] };
}

export function auditListMessage(model: {
  entries: AuditEntry[];
  offset: number;
  nextOffset: number | null;
  command: string;
  auditChannelId: string | null;
}): Message {
  if (model.entries.length === 0) {
    const text = model.offset === 0 ? 'No changes have been made through Hogbot in this workspace yet.' : 'No more changes.';
    return { text, blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [
    section(`*Recent changes through Hogbot*${model.auditChannelId ? ` · also posted to <#${model.auditChannelId}>` : ''}`),
  ];
  for (const entry of model.entries) blocks.push(section(entryText(entry)));
  blocks.push(
    ...pagerBlocks({
      command: model.command,
      offset: model.offset,
      shown: model.entries.length,
      total: null,
      nextOffset: model.nextOffset,
    }),
  );
  return { text: `${model.entries.length} recent changes`, blocks };
}

export function auditChannelSetMessage(model: { channelId: string | null; undo: string | null }): Message {
  return outcomeMessage({
    text: model.channelId
      ? `Every change made through Hogbot is now also posted to <#${model.channelId}>.`
      : 'Changes are no longer posted to an audit channel (they are still recorded: `/ph audit`).',
    undo: model.undo,
  });
}

export function auditChannelWelcome(model: { byUserId: string }): Message {
  const text = `Hogbot will post every change made through it here (set by <@${model.byUserId}>).`;
  return { text, blocks: [section(`:scroll: ${text}`), context('See the history any time with `/ph audit`.')] };
}

/** Appended to an outcome when the audit channel could not take the post. */
export function auditChannelProblem(model: { channelId: string; error: string }): string {
  return `:warning: Could not post this change to <#${model.channelId}> (${escapeMrkdwn(model.error)}). It is recorded in \`/ph audit\`; invite Hogbot to that channel.`;
}
