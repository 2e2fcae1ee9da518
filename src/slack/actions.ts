import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
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

function valueOf(action: ButtonAction | StaticSelectAction): string | null {
  return action.type === 'static_select' ? (action.selected_option?.value ?? null) : (action.value ?? null);
}

/**
 * Every button and select: "run this command" buttons, and the actions the registry holds (the plan buttons of
 * src/plans/buttons.ts and the ones command families declare).
 * Each acks first; the answer either replaces the message that carried the control or goes to the clicker alone.
 */
export function registerActions(app: App, services: Services): void {
  const handle = (
    actionId: string,
    label: string,
    work: (ctx: ReturnType<typeof buildContext>, value: string | null, body: AnyAction) => Promise<ActionAnswer | RunAnswer | null>,
  ) => {
    app.action<AnyAction>(actionId, async ({ ack, body, action, respond, client, logger }) => {
      await ack();
      const replier = createReplier(respond);
      const ctx = buildContext(services, callerOf(body), client, replier);
      let replace = false;
      let answered = true;
      const { message } = await guarded(ctx, label, async () => {
        const answer = await work(ctx, valueOf(action), body);
        if (!answer) {
          answered = false;
          return { text: '' };
        }
        replace = answer.replace;
        return 'run' in answer ? (await dispatch(ctx, answer.run)).message : answer.message;
      });
      if (!answered) return;
      await replier.final(message, 'ephemeral', { replaceOriginal: replace }).catch((error) => logger.error(`${label}: could not answer`, error));
    });
  };

  handle(RUN_COMMAND_ACTION, 'button', async (ctx, value) => ({ message: (await dispatch(ctx, value ?? '')).message, replace: false }));
  handle(MORE_ACTION, 'more', async (ctx, value) => ({ message: (await dispatch(ctx, value ?? '')).message, replace: true }));
  // A link button still sends an action; ack it so Slack shows no error, and do nothing else.
  app.action(CONNECT_LINK_ACTION, async ({ ack }) => {
    await ack();
  });

  for (const [actionId, handler] of services.registry.actions) {
    handle(actionId, actionId, (ctx, value, body) =>
      handler.run(ctx, {
        actionId,
        blockId: (body.actions[0]?.block_id as string | undefined) ?? null,
        value,
        messageTs: body.message?.ts ?? body.container?.message_ts ?? null,
      }),
    );
  }
}
