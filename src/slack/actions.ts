import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { z } from 'zod';
import { CONNECT_LINK_ACTION } from '../../views/connections.js';
import { MORE_ACTION } from '../../views/pager.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { dispatch, guarded } from '../dispatch.js';
import type { ActionAnswer, RunAnswer } from '../registry/interaction.js';
import { buildContext, type Caller, type Services } from './context.js';
import { createReplier } from './replier.js';

type AnyAction = BlockAction<ButtonAction | StaticSelectAction>;

function callerOf(body: AnyAction): Caller {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    enterpriseId: body.enterprise?.id ?? null,
    userId: body.user.id,
    channelId: body.channel?.id ?? null,
    triggerId: body.trigger_id ?? null,
    responseUrl: body.response_url ?? null,
  };
}

/** The pieces of a block_actions payload Hogbot reads, parsed once here (Bolt's types are not a check). */
const clickSchema = z.looseObject({
  actions: z.array(
    z.looseObject({
      type: z.string(),
      block_id: z.string().optional(),
      value: z.string().optional(),
      selected_option: z.looseObject({ value: z.string() }).nullish(),
    }),
  ),
  message: z.looseObject({ ts: z.string().optional() }).optional(),
  container: z.looseObject({ message_ts: z.string().optional() }).optional(),
});

interface Click {
  value: string | null;
  blockId: string | null;
  messageTs: string | null;
}

function clickOf(body: AnyAction): Click {
  const parsed = clickSchema.safeParse(body);
  if (!parsed.success) return { value: null, blockId: null, messageTs: null };
  const action = parsed.data.actions[0];
  const value = action?.type === 'static_select' ? (action.selected_option?.value ?? null) : (action?.value ?? null);
  return { value, blockId: action?.block_id ?? null, messageTs: parsed.data.message?.ts ?? parsed.data.container?.message_ts ?? null };
}

/**
 * Every button and select: "run this command" buttons, and the actions the registry holds (the plan buttons of
 * src/plans/confirm.ts and the ones command families declare).
 * Each acks first; the answer either replaces the message that carried the control or goes to the clicker alone.
 */
export function registerActions(app: App, services: Services): void {
  const handle = (
    actionId: string,
    label: string,
    work: (ctx: ReturnType<typeof buildContext>, click: Click) => Promise<ActionAnswer | RunAnswer | null>,
  ) => {
    app.action<AnyAction>(actionId, async ({ ack, body, respond, client, logger }) => {
      await ack();
      const replier = createReplier(respond);
      const ctx = buildContext(services, callerOf(body), client, replier);
      let replace = false;
      let answered = true;
      const { message } = await guarded(ctx, label, async () => {
        const answer = await work(ctx, clickOf(body));
        if (!answer) {
          answered = false;
          return { text: '' };
        }
        replace = answer.replace;
        return 'run' in answer ? (await dispatch(ctx, answer.run)).message : answer.message;
      });
      if (!answered) return;
      await replier
        .final(message, 'ephemeral', { replaceOriginal: replace })
        .catch((error) => logger.error(`${label}: could not answer`, error));
    });
  };

  handle(RUN_COMMAND_ACTION, 'button', async (_ctx, { value }) => ({ run: value ?? '', replace: false }));
  handle(MORE_ACTION, 'more', async (_ctx, { value }) => ({ run: value ?? '', replace: true }));
  // A link button still sends an action; ack it so Slack shows no error, and do nothing else.
  app.action(CONNECT_LINK_ACTION, async ({ ack }) => {
    await ack();
  });

  for (const [actionId, handler] of services.registry.actions) {
    handle(actionId, actionId, (ctx, click) => handler.run(ctx, { actionId, ...click }));
  }
}
