import { z } from 'zod';
import { context, type KnownBlock, type Message, section } from '../../views/blocks.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { defineCommand } from '../../src/registry/command.js';
import { decodeOrigin, defineAction, defineModal, encodeOrigin } from '../../src/registry/interaction.js';
import { loadRegistry } from '../../src/registry/load.js';
import { Registry } from '../../src/registry/registry.js';

/**
 * A modal-opening command for the browser test, added to the real registry the real bot runs. No command in
 * commands/ opens a modal yet; this one goes through the same wiring (openModal, registerModals, response_action
 * errors, the answer posted to the origin's response_url) that theirs will.
 */
export const DEMO_CALLBACK = 'sandbox_test_create';
export const DEMO_SCOPE_ACTION = 'sandbox_test_scope';

/** The form's origin by external_id: a click inside a modal carries no response_url, so the fixture remembers it. */
const origins = new Map<string, string>();

const demoView = (externalId: string, privateMetadata: string, withReason: boolean) => ({
  type: 'modal' as const,
  callback_id: DEMO_CALLBACK,
  external_id: externalId,
  title: { type: 'plain_text' as const, text: 'New annotation' },
  submit: { type: 'plain_text' as const, text: 'Create' },
  close: { type: 'plain_text' as const, text: 'Cancel' },
  private_metadata: privateMetadata,
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: { type: 'plain_text', text: 'Title' },
      element: { type: 'plain_text_input', action_id: 'value', placeholder: { type: 'plain_text', text: 'Pricing page launched' } },
    },
    {
      type: 'input',
      block_id: 'scope',
      dispatch_action: true,
      label: { type: 'plain_text', text: 'Scope' },
      element: {
        type: 'static_select',
        action_id: DEMO_SCOPE_ACTION,
        initial_option: { text: { type: 'plain_text', text: 'Project' }, value: 'project' },
        options: [
          { text: { type: 'plain_text', text: 'Project' }, value: 'project' },
          { text: { type: 'plain_text', text: 'Organization' }, value: 'organization' },
        ],
      },
    },
    ...(withReason
      ? [
          {
            type: 'input',
            block_id: 'reason',
            label: { type: 'plain_text', text: 'Why the whole organization?' },
            optional: true,
            element: { type: 'plain_text_input', action_id: 'value' },
          },
        ]
      : []),
    { type: 'input', block_id: 'date', label: { type: 'plain_text', text: 'Date' }, element: { type: 'datepicker', action_id: 'value' } },
  ] as KnownBlock[],
});

const demoModal = defineModal<{ title: string; scope: string; date: string | null }>({
  callbackId: DEMO_CALLBACK,
  validate: (values) => {
    const title = values.title?.value?.value?.trim() ?? '';
    if (!title) return { errors: { title: 'Give the annotation a title' } };
    return {
      data: {
        title,
        scope: values.scope?.[DEMO_SCOPE_ACTION]?.selected_option?.value ?? 'project',
        date: values.date?.value?.selected_date ?? null,
      },
    };
  },
  submit: async (_ctx, data, origin): Promise<Message> => {
    const text = `Created “${data.title}” (${data.scope}) on ${data.date ?? 'today'}`;
    return {
      text,
      blocks: [section(`:white_check_mark: ${text}`), context(`origin channel ${decodeOrigin(JSON.stringify(origin)).channelId ?? '?'}`)],
    };
  },
});

const demoCommand = defineCommand({
  name: 'sandbox-demo create',
  summary: 'Test fixture: opens a form',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => {
    const externalId = `sandbox-demo-${ctx.userId}-${Date.now()}`;
    origins.set(externalId, encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl }));
    await ctx.openModal(demoView(externalId, origins.get(externalId)!, false));
    return { text: 'Fill in the form.' };
  },
});

/** Choosing "Organization" adds a field with views.update, as dynamic forms do. */
const scopeChosen = defineAction({
  actionId: DEMO_SCOPE_ACTION,
  run: async (ctx, input) => {
    const externalId = [...origins.keys()].filter((k) => k.startsWith(`sandbox-demo-${ctx.userId}-`)).at(-1);
    if (!externalId) return null;
    await ctx.slack.views.update({
      external_id: externalId,
      view: demoView(externalId, origins.get(externalId)!, input.value === 'organization'),
    });
    return null;
  },
});

/** The real registry plus the fixture command and its modal. */
export async function registryWithFixtures(): Promise<Registry> {
  const base = await loadRegistry();
  return new Registry([...base.commands, demoCommand], [...base.actions.values(), ...base.modals.values(), demoModal, scopeChosen]);
}

/** A message with every block type the page draws, posted through the Web API like any app would. */
export function galleryBlocks(imageFileId: string): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: 'Block Kit gallery :sparkles:' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Bold* _italic_ ~strike~ `code` <https://posthog.com|a link> <@U0ADMIN0001> <#C0ACMEGRW01|growth> :warning: 1 &lt; 2 &amp;&amp; 3 &gt; 2\n```SELECT 1```',
      },
      accessory: {
        type: 'button',
        text: { type: 'plain_text', text: 'Run help' },
        action_id: RUN_COMMAND_ACTION,
        value: 'help',
        confirm: {
          title: { type: 'plain_text', text: 'Run it?' },
          text: { type: 'plain_text', text: 'This runs /ph help for you.' },
          confirm: { type: 'plain_text', text: 'Run' },
          deny: { type: 'plain_text', text: 'Not now' },
        },
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Rollout*\n100%' },
        { type: 'mrkdwn', text: '*Status*\nactive' },
      ],
    },
    { type: 'divider' },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Context line · project 1001' }] },
    { type: 'image', slack_file: { id: imageFileId }, alt_text: 'a chart', title: { type: 'plain_text', text: 'Chart' } },
    {
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: 'Rich ' },
            { type: 'text', text: 'bold', style: { bold: true } },
          ],
        },
        {
          type: 'rich_text_list',
          style: 'bullet',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'first item' }] }],
        },
        { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'select event from events' }] },
      ],
    },
    {
      type: 'actions',
      block_id: 'gallery_actions',
      elements: [
        {
          type: 'static_select',
          action_id: 'gallery_pick',
          placeholder: { type: 'plain_text', text: 'Pick a project' },
          options: [
            { text: { type: 'plain_text', text: 'Acme Web' }, value: '1001' },
            { text: { type: 'plain_text', text: 'Acme Mobile' }, value: '1002' },
          ],
        },
        { type: 'datepicker', action_id: 'gallery_date', initial_date: '2024-05-01' },
      ],
    },
    {
      type: 'table',
      column_settings: [{ align: 'left' }, { align: 'right' }],
      rows: [
        [
          { type: 'raw_text', text: 'event' },
          { type: 'raw_text', text: 'count' },
        ],
        [
          { type: 'raw_text', text: '$pageview' },
          { type: 'raw_text', text: '1200' },
        ],
      ],
    },
  ] as KnownBlock[];
}
