import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { fitMessage } from '../../views/blocks.js';
import { PLAN_CANCEL_ACTION, PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { dispatch, guarded } from '../dispatch.js';
import { cancelPlan, confirmPlan } from '../plans.js';
import { buildContext, type Caller, type Services } from './context.js';

function callerOf(body: BlockAction): Caller {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    enterpriseId: body.enterprise?.id ?? null,
    userId: body.user.id,
    channelId: body.channel?.id ?? null,
    triggerId: body.trigger_id ?? null,
  };
}

/** Buttons: plan Confirm / Cancel, and buttons that run a `/ph` command for whoever clicks. */
export function registerActions(app: App, services: Services): void {
  app.action<BlockAction<ButtonAction>>(PLAN_CONFIRM_ACTION, async ({ ack, body, action, respond, client, logger }) => {
    await ack();
    const ctx = buildContext(services, callerOf(body), client);
    let replace = false;
    const { message } = await guarded(ctx, 'plan confirm', async () => {
      const outcome = await confirmPlan(ctx, action.value ?? '', (c, command, payload) => command.apply(c, payload));
      replace = outcome.replace;
      return outcome.message;
    });
    await respond({ ...fitMessage(message), replace_original: replace, response_type: 'ephemeral' }).catch((e) => logger.error(e));
  });

  app.action<BlockAction<ButtonAction>>(PLAN_CANCEL_ACTION, async ({ ack, body, action, respond, client, logger }) => {
    await ack();
    const ctx = buildContext(services, callerOf(body), client);
    let replace = false;
    const { message } = await guarded(ctx, 'plan cancel', async () => {
      const outcome = await cancelPlan(ctx, action.value ?? '');
      replace = outcome.replace;
      return outcome.message;
    });
    await respond({ ...fitMessage(message), replace_original: replace, response_type: 'ephemeral' }).catch((e) => logger.error(e));
  });

  app.action<BlockAction<ButtonAction>>(RUN_COMMAND_ACTION, async ({ ack, body, action, respond, client, logger }) => {
    await ack();
    const ctx = buildContext(services, callerOf(body), client);
    const answer = await dispatch(ctx, action.value ?? '');
    await respond({ ...fitMessage(answer.message), response_type: 'ephemeral', replace_original: false }).catch((e) => logger.error(e));
  });
}
