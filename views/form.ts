import type { ModalValues } from '../src/registry/interaction.js';
import { type KnownBlock, LIMITS, type Message, section, truncate } from './blocks.js';

/**
 * Modal inputs and the readers of their submitted values. Every input uses the action id `value`, so a field is
 * addressed by its block id alone, both when it is built and when `values[blockId].value` comes back.
 */
export const FIELD = 'value';

export interface Choice {
  value: string;
  label: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

interface FieldFrame {
  optional?: boolean;
  hint?: string;
}

/** The input block every field sits in: label, hint, optional, and its element under the shared action id. */
function inputBlock(blockId: string, label: string, frame: FieldFrame, element: Record<string, unknown>): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: frame.optional ?? false,
    label: plain(label),
    ...(frame.hint ? { hint: plain(frame.hint) } : {}),
    element: { ...element, action_id: FIELD },
  } as KnownBlock;
}

export function textField(
  blockId: string,
  label: string,
  opts: FieldFrame & { placeholder?: string; multiline?: boolean; initial?: string; maxLength?: number } = {},
): KnownBlock {
  return inputBlock(blockId, label, opts, {
    type: 'plain_text_input',
    multiline: opts.multiline ?? false,
    ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
    ...(opts.initial ? { initial_value: opts.initial } : {}),
    ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
  });
}

export function selectField(
  blockId: string,
  label: string,
  choices: readonly Choice[],
  opts: FieldFrame & { initial?: string; placeholder?: string } = {},
): KnownBlock {
  const options = choices.slice(0, LIMITS.optionsPerSelect).map((c) => ({ text: plain(truncate(c.label, 75)), value: c.value }));
  const initial = options.find((o) => o.value === opts.initial);
  return inputBlock(blockId, label, opts, {
    type: 'static_select',
    options,
    ...(initial ? { initial_option: initial } : {}),
    ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
  });
}

/** A typed field's text, trimmed; '' when empty or absent. */
export function readText(values: ModalValues, blockId: string): string {
  return (values[blockId]?.[FIELD]?.value ?? '').trim();
}

/** A select's chosen value; '' when none. */
export function readChoice(values: ModalValues, blockId: string): string {
  return values[blockId]?.[FIELD]?.selected_option?.value ?? '';
}

/** The command's own answer when it opens a form: the form is where the work goes on. */
export function formOpenedMessage(what: string): Message {
  const text = `The ${what} form is open. Nothing is created until you confirm the summary that follows it.`;
  return { text, blocks: [section(`:pencil: ${text}`)] };
}
