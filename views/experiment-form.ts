import { FIELD, textField } from './form.js';
import type { DraftField } from '../src/experiments/draft.js';
import type { View } from './blocks.js';

export const EXPERIMENT_CREATE_MODAL = 'hogbot_experiment_create';
/** Every input's action id; the block id says which field it is. */
export const FIELD_ACTION = FIELD;

/** block_id per field: Slack keys both the submitted values and the inline errors by it. */
export const FIELD_BLOCKS: Record<DraftField, string> = {
  name: 'experiment_name',
  flagKey: 'experiment_flag_key',
  variants: 'experiment_variants',
  metricEvent: 'experiment_metric_event',
  description: 'experiment_description',
};

export type FormValues = Partial<Record<DraftField, string>>;

const input = (field: DraftField, label: string, opts: Parameters<typeof textField>[2]) => textField(FIELD_BLOCKS[field], label, opts);

/**
 * The create form. `privateMetadata` carries where to post the plan (see encodeOrigin); `defaultVariants` fills the
 * variants field when the caller gave none (src/experiments/draft.ts DEFAULT_VARIANTS).
 */
export function experimentCreateModal(m: { values: FormValues; defaultVariants: string; privateMetadata: string }): View {
  return {
    type: 'modal',
    callback_id: EXPERIMENT_CREATE_MODAL,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'New experiment' },
    submit: { type: 'plain_text', text: 'Review' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      input('name', 'Name', { placeholder: 'Checkout redesign', initial: m.values.name, maxLength: 400 }),
      input('flagKey', 'Feature flag key', {
        placeholder: 'checkout-redesign',
        hint: 'A new multivariate flag is created, or an existing one with a control variant is used.',
        initial: m.values.flagKey,
        maxLength: 400,
      }),
      input('variants', 'Variants and splits (%)', {
        initial: m.values.variants ?? m.defaultVariants,
        hint: 'key:percent, comma separated; one must be control; they add up to 100.',
      }),
      input('metricEvent', 'Primary metric: conversion event', {
        placeholder: 'purchase',
        hint: 'A person converts when they do this event after first seeing a variant.',
        initial: m.values.metricEvent,
        maxLength: 400,
      }),
      input('description', 'Hypothesis', { optional: true, multiline: true, initial: m.values.description, maxLength: 3000 }),
    ],
  };
}
