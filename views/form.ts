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

export function textField(blockId: string, label: string, opts: { placeholder?: string; hint?: string; optional?: boolean; multiline?: boolean; initial?: string; maxLength?: number } = {}): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: FIELD,
      multiline: opts.multiline ?? false,
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
      ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
    },
  } as KnownBlock;
}

export function selectField(blockId: string, label: string, choices: readonly Choice[], opts: { initial?: string; optional?: boolean; hint?: string; placeholder?: string } = {}): KnownBlock {
  const options = choices.slice(0, LIMITS.optionsPerSelect).map((c) => ({ text: plain(truncate(c.label, 75)), value: c.value }));
  const initial = options.find((o) => o.value === opts.initial);
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: {
      type: 'static_select',
      action_id: FIELD,
      options,
      ...(initial ? { initial_option: initial } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
    },
  } as KnownBlock;
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
