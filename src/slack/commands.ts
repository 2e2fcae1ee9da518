import type { App } from '@slack/bolt';
import { dispatch } from '../dispatch.js';
import { buildContext, type Services } from './context.js';
import { createReplier } from './replier.js';

export const SLASH_COMMAND = '/ph';

/** `/ph ...`: ack at once (Slack's 3 s deadline), then parse, run and answer through the response_url. */
export function registerSlashCommand(app: App, services: Services): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond, client, logger }) => {
    await ack();
    const replier = createReplier(respond);
    const ctx = buildContext(
      services,
      {
        teamId: command.team_id,
        enterpriseId: command.enterprise_id ?? null,
        userId: command.user_id,
        channelId: command.channel_id ?? null,
        triggerId: command.trigger_id ?? null,
        responseUrl: command.response_url ?? null,
      },
      client,
      replier,
    );
    const answer = await dispatch(ctx, command.text ?? '');
    await replier
      .final(answer.message, answer.responseType)
      .catch((error) => logger.error('Could not answer /ph through its response_url:', error));
  });
}
