import { FIELD, textField } from './form.js';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  fields,
  header,
  type KnownBlock,
  LIMITS,
  type Message,
  section,
  truncate,
  type View,
} from './blocks.js';
import { LINK_ACTION, slackDate } from './audit.js';
import { pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';

/** The release-condition picker of `/ph flag rollout` on a flag with several conditions; each option is a command. */
export const FLAG_ROLLOUT_GROUP_ACTION = 'hogbot_flag_rollout_group';

/** The `/ph flag create` modal and its fields (block id = field, action id = `value`). */
export const FLAG_CREATE_CALLBACK = 'hogbot_flag_create';
export const FLAG_CREATE_FIELDS = { key: 'flag_key', name: 'flag_name', rollout: 'flag_rollout', variants: 'flag_variants' } as const;
export const FLAG_FIELD_ACTION = FIELD;

export interface FlagConditionView {
  /** Human-readable property filters, e.g. `email icontains acme.com`. */
  properties: string[];
  rollout: number;
  variant: string | null;
}

export interface FlagView {
  id: number;
  key: string;
  name: string;
  active: boolean;
  conditions: FlagConditionView[];
  variants: Array<{ key: string; percent: number }>;
  hasPayloads: boolean;
  version: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
  experiments: number[];
  tags: string[];
}

const status = (active: boolean) => (active ? ':large_green_circle: on' : ':white_circle: off');

export function conditionLabel(c: FlagConditionView, index: number): string {
  const who = c.properties.length > 0 ? c.properties.join(' and ') : 'everyone';
  return `Condition ${index + 1}: ${who} · ${c.rollout}%${c.variant ? ` → ${c.variant}` : ''}`;
}

/** One line about how much of the audience a flag reaches. */
export function rolloutSummary(flag: Pick<FlagView, 'conditions' | 'variants'>): string {
  const variants = flag.variants.length > 0 ? ` · ${flag.variants.length} variants` : '';
  const only = flag.conditions[0];
  if (flag.conditions.length === 1 && only && only.properties.length === 0) return `${only.rollout}% of everyone${variants}`;
  if (flag.conditions.length === 0) return `no release conditions${variants}`;
  return `${flag.conditions.length} release condition${flag.conditions.length === 1 ? '' : 's'}${variants}`;
}

export function flagListMessage(m: {
  flags: FlagView[];
  projectName: string;
  search: string | null;
  offset: number;
  total: number | null;
  nextOffset: number | null;
  command: string;
}): Message {
  if (m.flags.length === 0) {
    const text = m.search
      ? `No flags match “${escapeMrkdwn(m.search)}” in *${escapeMrkdwn(m.projectName)}*.`
      : `*${escapeMrkdwn(m.projectName)}* has no feature flags here.`;
    return { text: 'No flags', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [
    section(`*Feature flags* in *${escapeMrkdwn(m.projectName)}*${m.search ? ` matching “${escapeMrkdwn(m.search)}”` : ''}`),
  ];
  for (const f of m.flags) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `${status(f.active)}  *${escapeMrkdwn(f.key)}*  ${rolloutSummary(f)}${f.name ? `\n${escapeMrkdwn(truncate(f.name, 120))}` : ''}`,
          LIMITS.sectionText,
        ),
      },
      accessory: runButton('Show', `flag show ${f.key}`),
    });
  }
  blocks.push(...pagerBlocks({ command: m.command, offset: m.offset, shown: m.flags.length, total: m.total, nextOffset: m.nextOffset }));
  return { text: `${m.flags.length} feature flags`, blocks };
}

/**
 * `canWrite: false` (a reader): no Turn on/off button that would only refuse them; the card says why at once and what
 * they can do instead (issue 15). Undefined keeps the button (the role is checked again on click).
 */
export function flagCardMessage(m: { flag: FlagView; projectName: string; url: string; canWrite?: boolean }): Message {
  const f = m.flag;
  const conditions =
    f.conditions.length > 0
      ? f.conditions.map((c, i) => `• ${escapeMrkdwn(conditionLabel(c, i))}`).join('\n')
      : '_No release conditions: nobody gets the flag._';
  const variants =
    f.variants.length > 0 ? f.variants.map((v) => `\`${escapeMrkdwn(v.key)}\` ${v.percent}%`).join(' · ') : 'none (boolean flag)';
  const changed = f.updatedAt ? `${slackDate(new Date(f.updatedAt))}${f.updatedBy ? ` by ${escapeMrkdwn(f.updatedBy)}` : ''}` : 'unknown';
  const blocks: KnownBlock[] = [
    header(`Flag ${f.key}`),
    ...(f.name ? [section(escapeMrkdwn(truncate(f.name, 500)))] : []),
    fields([
      ['Status', status(f.active)],
      ['Variants', variants],
      ['Payloads', f.hasPayloads ? 'yes' : 'none'],
      ['Last change', `${changed}${f.version !== null ? ` (version ${f.version})` : ''}`],
      ...(f.experiments.length > 0 ? ([['Experiments', f.experiments.map((id) => `#${id}`).join(', ')]] as const) : []),
      ...(f.tags.length > 0 ? ([['Tags', f.tags.map(escapeMrkdwn).join(', ')]] as const) : []),
    ]),
    section(`*Release conditions*\n${conditions}`),
    actions('hogbot_flag_card', [
      ...(m.canWrite === false
        ? []
        : [runButton(f.active ? 'Turn off' : 'Turn on', `flag ${f.active ? 'off' : 'on'} ${f.key}`, f.active ? 'danger' : 'primary')]),
      button({ text: 'Open in PostHog', actionId: LINK_ACTION, url: m.url }),
    ]),
    ...(m.canWrite === false
      ? [
          context(
            ':lock: You can read this flag; turning it on or off needs the writer role. An admin can grant it with `/ph access grant`.',
          ),
        ]
      : []),
    context(
      `Project *${escapeMrkdwn(m.projectName)}* · id \`${f.id}\` · change the rollout with \`/ph flag rollout ${escapeMrkdwn(f.key)} &lt;0-100&gt;\``,
    ),
  ];
  return { text: `Flag ${f.key}: ${f.active ? 'on' : 'off'}`, blocks };
}

/** `/ph flag rollout` on a flag with several release conditions: pick one; the choice runs the command with `--group`. */
export function flagConditionPickerMessage(m: { key: string; percent: number; conditions: FlagConditionView[] }): Message {
  const options = m.conditions.slice(0, LIMITS.optionsPerSelect).map((c, i) => ({
    text: { type: 'plain_text' as const, text: truncate(conditionLabel(c, i), 75) },
    value: `flag rollout ${m.key} ${m.percent} --group ${i + 1}`,
  }));
  return {
    text: `Which release condition of ${m.key} should roll out to ${m.percent}%?`,
    blocks: [
      section(`*${escapeMrkdwn(m.key)}* has ${m.conditions.length} release conditions. Which one should roll out to *${m.percent}%*?`),
      {
        type: 'actions',
        block_id: 'hogbot_flag_rollout_pick',
        elements: [
          {
            type: 'static_select',
            action_id: FLAG_ROLLOUT_GROUP_ACTION,
            placeholder: { type: 'plain_text', text: 'Release condition' },
            options,
          },
        ],
      },
      context(`Or name it: \`/ph flag rollout ${escapeMrkdwn(m.key)} ${m.percent} --group N\``),
    ],
  };
}

/** The full create form. Nothing is created on submit: it produces a plan to confirm, like every write. */
export function flagCreateModal(m: { privateMetadata: string; initialKey?: string }): View {
  return {
    type: 'modal',
    callback_id: FLAG_CREATE_CALLBACK,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'New feature flag' },
    submit: { type: 'plain_text', text: 'Review plan' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      context('In this workspace’s PostHog project. You will see a plan to confirm before anything is created.'),
      textField(FLAG_CREATE_FIELDS.key, 'Key', {
        placeholder: 'new-checkout',
        hint: 'Letters, numbers, - and _ only.',
        ...(m.initialKey ? { initial: m.initialKey } : {}),
      }),
      textField(FLAG_CREATE_FIELDS.name, 'Description', { optional: true, placeholder: 'What the flag controls' }),
      textField(FLAG_CREATE_FIELDS.rollout, 'Rollout %', {
        optional: true,
        placeholder: '0',
        hint: 'Share of users who get the flag (0-100). Default 0.',
      }),
      textField(FLAG_CREATE_FIELDS.variants, 'Variants', {
        optional: true,
        multiline: true,
        placeholder: 'control=50\ntest=50',
        hint: 'Optional, for a multivariate flag: one key=percent per line; the splits must add up to 100.',
      }),
    ],
  };
}

export function flagCreateOpenedMessage(): Message {
  const text = 'Fill in the form: you will review a plan before anything is created.';
  return { text, blocks: [context(text)] };
}

/** A plain answer when there is nothing to change ("already off"). */
export function noticeMessage(text: string): Message {
  return { text: text.replace(/\*/g, ''), blocks: [section(`:information_source: ${text}`)] };
}
