import { actions, button, context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section } from './blocks.js';

export const PLAN_BLOCK_ID = 'hogbot_plan';
export const PLAN_CONFIRM_ACTION = 'hogbot_plan_confirm';
export const PLAN_CANCEL_ACTION = 'hogbot_plan_cancel';

export interface PlanModel {
  planId: string;
  title: string;
  initiatorId: string;
  target: Array<{ label: string; value: string }>;
  changes: Array<{ what: string; before: string; after: string }>;
  warning?: string;
  expiresInMinutes: number;
}

/** A write waiting for Confirm: what will change (before -> after), where, and the two buttons. */
export function planMessage(model: PlanModel): Message {
  const changes = model.changes
    .map((c) => `• *${escapeMrkdwn(c.what)}*: ${escapeMrkdwn(c.before)} → *${escapeMrkdwn(c.after)}*`)
    .join('\n');
  const blocks: KnownBlock[] = [
    header(`Confirm: ${model.title}`),
    fields(model.target.map((t) => [t.label, escapeMrkdwn(t.value)] as const)),
    section(changes || '_No visible change._'),
  ];
  if (model.warning) blocks.push(section(`:warning: ${escapeMrkdwn(model.warning)}`));
  blocks.push(
    actions(PLAN_BLOCK_ID, [
      button({ text: 'Confirm', actionId: PLAN_CONFIRM_ACTION, value: model.planId, style: 'primary' }),
      button({ text: 'Cancel', actionId: PLAN_CANCEL_ACTION, value: model.planId }),
    ]),
    context(`Requested by <@${model.initiatorId}> · nothing changes until Confirm · expires in ${model.expiresInMinutes} minutes`),
  );
  return { text: `Confirm: ${model.title}`, blocks };
}

export type PlanEnding = 'cancelled' | 'expired' | 'failed' | 'already_done' | 'in_progress';

const ENDINGS: Record<PlanEnding, string> = {
  cancelled: ':no_entry_sign: Cancelled. Nothing was changed.',
  expired: ':hourglass: This confirmation expired. Nothing was changed; run the command again.',
  failed: ':x: The change failed.',
  already_done: 'This change was already confirmed.',
  in_progress: 'This change is already being applied.',
};

/** Replaces a plan once it can no longer be confirmed. */
export function planEndedMessage(model: { title: string; ending: PlanEnding; detail?: string; byUserId?: string }): Message {
  const by = model.byUserId && model.ending === 'cancelled' ? ` (by <@${model.byUserId}>)` : '';
  const text = `${ENDINGS[model.ending]}${by}${model.detail ? ` ${model.detail}` : ''}`;
  return { text, blocks: [section(`*${escapeMrkdwn(model.title)}*\n${text}`)] };
}
