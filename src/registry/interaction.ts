import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import type { Role } from '../store/store.js';
import type { CommandContext } from './command.js';

/** A click on a button or a choice in a select that a command family owns (its ids live beside its view). */
export interface ActionInput {
  actionId: string;
  blockId: string | null;
  /** A button's value, or the selected option's value of a select. */
  value: string | null;
  /** The message carrying the control, when it is a message (not a modal or App Home). */
  messageTs: string | null;
}

/** What to do with the answer: replace the message that carried the control, or answer the clicker alone. */
export interface ActionAnswer {
  message: Message;
  replace: boolean;
}

/** Run this `/ph` command text as if the clicker typed it (Undo, "run" buttons), and answer with its result. */
export interface RunAnswer {
  run: string;
  replace: boolean;
}

export interface ActionHandler {
  kind: 'action';
  actionId: string;
  run(ctx: CommandContext, input: ActionInput): Promise<ActionAnswer | RunAnswer | null>;
}

/**
 * The state of a submitted modal: `values[blockId][actionId]`, as Slack sends it (view_submission `view.state.values`).
 * Parsed once at the edge (src/slack/modals.ts); elements Hogbot does not read keep only their `type`.
 */
export const modalValuesSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.looseObject({
      type: z.string(),
      value: z.string().nullish(),
      selected_option: z.looseObject({ value: z.string() }).nullish(),
      selected_options: z.array(z.looseObject({ value: z.string() })).optional(),
      selected_date: z.string().nullish(),
      selected_time: z.string().nullish(),
    }),
  ),
);
export type ModalValues = z.infer<typeof modalValuesSchema>;

/** Where a modal was opened from, carried in its private_metadata so the result can be posted there. */
export interface ModalOrigin {
  channelId: string | null;
  responseUrl: string | null;
  /** The family's own context (a project id, a plan...). */
  extra?: unknown;
}

export interface ModalHandler<T = unknown> {
  kind: 'modal';
  callbackId: string;
  /**
   * The role a submission needs, checked before `submit` (a form can outlive the role it was opened with, and anyone
   * can post a view_submission). Set it on every form whose submit proposes or makes a change.
   */
  role?: Role;
  /** Runs before the ack, so it must be fast and pure: field errors (keyed by block_id) are shown inline by Slack. */
  validate(values: ModalValues, origin: ModalOrigin): { errors: Record<string, string> } | { data: T };
  /** Runs after the ack; its message is posted where the modal was opened from. */
  submit(ctx: CommandContext, data: T, origin: ModalOrigin): Promise<Message | null>;
}

export type Interaction = ActionHandler | ModalHandler<any>;

export function defineAction(spec: Omit<ActionHandler, 'kind'>): ActionHandler {
  return { kind: 'action', ...spec };
}

export function defineModal<T>(spec: Omit<ModalHandler<T>, 'kind'>): ModalHandler<T> {
  return { kind: 'modal', ...spec };
}

export function encodeOrigin(origin: ModalOrigin): string {
  const text = JSON.stringify(origin);
  if (text.length > 3000) throw new Error('Modal private_metadata exceeds Slack’s 3000 characters');
  return text;
}

/** A modal's private_metadata as encodeOrigin wrote it; anything else reads as "opened from nowhere". */
const originSchema = z.object({ channelId: z.string().nullish(), responseUrl: z.string().nullish(), extra: z.unknown().optional() });

export function decodeOrigin(text: string | undefined): ModalOrigin {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    return { channelId: null, responseUrl: null };
  }
  const parsed = originSchema.safeParse(json);
  if (!parsed.success) return { channelId: null, responseUrl: null };
  return { channelId: parsed.data.channelId ?? null, responseUrl: parsed.data.responseUrl ?? null, extra: parsed.data.extra };
}
