import { DEFAULT_VARIANTS, type DraftField } from '../src/experiments/draft.js';
import type { View } from './blocks.js';

export const EXPERIMENT_CREATE_MODAL = 'hogbot_experiment_create';
/** Every input's action id; the block id says which field it is. */
export const FIELD_ACTION = 'value';

/** block_id per field: Slack keys both the submitted values and the inline errors by it. */
export const FIELD_BLOCKS: Record<DraftField, string> = {
  name: 'experiment_name',
  flagKey: 'experiment_flag_key',
  variants: 'experiment_variants',
  metricEvent: 'experiment_metric_event',
  description: 'experiment_description',
};

export type FormValues = Partial<Record<DraftField, string>>;

function input(field: DraftField, label: string, opts: { hint?: string; placeholder?: string; initial?: string; optional?: boolean; multiline?: boolean; maxLength?: number }) {
  return {
    type: 'input' as const,
    block_id: FIELD_BLOCKS[field],
    label: { type: 'plain_text' as const, text: label },
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: { type: 'plain_text' as const, text: opts.hint } } : {}),
    element: {
      type: 'plain_text_input' as const,
      action_id: FIELD_ACTION,
      multiline: opts.multiline ?? false,
      ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
      ...(opts.placeholder ? { placeholder: { type: 'plain_text' as const, text: opts.placeholder } } : {}),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
    },
  };
}

/** The create form. `privateMetadata` carries where to post the plan (see encodeOrigin). */
export function experimentCreateModal(m: { values: FormValues; privateMetadata: string }): View {
  return {
    type: 'modal',
    callback_id: EXPERIMENT_CREATE_MODAL,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'New experiment' },
    submit: { type: 'plain_text', text: 'Review' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      input('name', 'Name', { placeholder: 'Checkout redesign', initial: m.values.name, maxLength: 400 }),
      input('flagKey', 'Feature flag key', { placeholder: 'checkout-redesign', hint: 'A new multivariate flag is created, or an existing one with a control variant is used.', initial: m.values.flagKey, maxLength: 400 }),
      input('variants', 'Variants and splits (%)', { initial: m.values.variants ?? DEFAULT_VARIANTS, hint: 'key:percent, comma separated; one must be control; they add up to 100.' }),
      input('metricEvent', 'Primary metric: conversion event', { placeholder: 'purchase', hint: 'A person converts when they do this event after first seeing a variant.', initial: m.values.metricEvent, maxLength: 400 }),
      input('description', 'Hypothesis', { optional: true, multiline: true, initial: m.values.description, maxLength: 3000 }),
    ],
  };
}
