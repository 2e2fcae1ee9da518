import type { App } from '@slack/bolt';
import { fitMessage } from '../../views/blocks.js';
import { dispatch } from '../dispatch.js';
import { buildContext, type Services } from './context.js';

export const SLASH_COMMAND = '/ph';

/** `/ph ...`: ack at once (Slack's 3 s deadline), then parse, run and answer through the response_url. */
export function registerSlashCommand(app: App, services: Services): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond, client, logger }) => {
    await ack();
    const ctx = buildContext(
      services,
      {
        teamId: command.team_id,
        enterpriseId: command.enterprise_id ?? null,
        userId: command.user_id,
        channelId: command.channel_id ?? null,
        triggerId: command.trigger_id ?? null,
      },
      client,
    );
    const answer = await dispatch(ctx, command.text ?? '');
    try {
      await respond({ response_type: answer.responseType, ...fitMessage(answer.message) });
    } catch (error) {
      logger.error('Could not answer /ph through its response_url:', error);
    }
  });
}
