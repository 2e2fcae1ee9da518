import type { KnownBlock, View } from '@slack/types';
import { safeText } from './safe-text.js';

/** What every view returns and every command answers with. `text` is the notification / fallback text. */
export interface Message {
  text: string;
  blocks?: KnownBlock[];
}

export type { KnownBlock, View };

/** Slack's published Block Kit limits (see shared/reference/slack-platform.md), enforced in one place. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionsPerSelect: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  /** Slack rejects messages somewhere past ~11-13k chars of block text (msg_blocks_too_long); stay well under. */
  messageTextBudget: 10_000,
} as const;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes user-controlled text for mrkdwn so a name like "<!channel>" can't ping anyone or break formatting. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function context(...texts: string[]): KnownBlock {
  return {
    type: 'context',
    elements: texts.slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, LIMITS.sectionText) })),
  };
}

export function fields(pairs: ReadonlyArray<readonly [string, string]>): KnownBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, LIMITS.fieldsPerSection).map(([label, value]) => ({
      type: 'mrkdwn' as const,
      text: truncate(`*${label}*\n${value}`, LIMITS.fieldText),
    })),
  };
}

export const divider: KnownBlock = { type: 'divider' };

export interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export function button(spec: ButtonSpec) {
  return {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text: truncate(spec.text, LIMITS.buttonText), emoji: true },
    action_id: spec.actionId,
    ...(spec.value !== undefined ? { value: spec.value.slice(0, LIMITS.buttonValue) } : {}),
    ...(spec.url !== undefined ? { url: spec.url } : {}),
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm
      ? {
          confirm: {
            title: { type: 'plain_text' as const, text: truncate(spec.confirm.title, 100) },
            text: { type: 'plain_text' as const, text: truncate(spec.confirm.text, 300) },
            confirm: { type: 'plain_text' as const, text: truncate(spec.confirm.confirm, 30) },
            deny: { type: 'plain_text' as const, text: truncate(spec.confirm.deny, 30) },
          },
        }
      : {}),
  };
}

export function actions(blockId: string | undefined, elements: ReturnType<typeof button>[]): KnownBlock {
  return { type: 'actions', ...(blockId ? { block_id: blockId } : {}), elements: elements.slice(0, LIMITS.actionsElements) };
}

/** Sum of the text a message's blocks carry: what Slack's msg_blocks_too_long counts. */
export function blockTextLength(blocks: readonly unknown[]): number {
  let total = 0;
  const walk = (node: unknown): void => {
    if (typeof node === 'string') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') total += value.length;
        else walk(value);
      }
    }
  };
  walk(blocks);
  return total;
}

/**
 * Keeps a message inside Block Kit's limits: at most 50 blocks and the text budget. Blocks past the budget are dropped and
 * replaced by a context line saying so, so a long list degrades visibly instead of being rejected by Slack.
 */
export function fitMessage(message: Message): Message {
  const blocks = message.blocks;
  if (!blocks) return { text: truncate(safeText(message.text), 3900) };
  const kept: KnownBlock[] = [];
  let used = 0;
  const reserve = 1;
  for (const block of blocks) {
    const size = blockTextLength([block]);
    if (kept.length >= LIMITS.blocksPerMessage - reserve || used + size > LIMITS.messageTextBudget) {
      const dropped = blocks.length - kept.length;
      kept.push(context(`_${dropped} more block${dropped === 1 ? '' : 's'} not shown: narrow the search to see the rest._`));
      return { text: truncate(safeText(message.text), 3900), blocks: kept };
    }
    kept.push(block);
    used += size;
  }
  return { text: truncate(safeText(message.text), 3900), blocks: kept };
}
