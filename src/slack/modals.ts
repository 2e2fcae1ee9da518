import type { App, ViewSubmitAction } from '@slack/bolt';
import { fitMessage } from '../../views/blocks.js';
import { problemMessage } from '../../views/feedback.js';
import { callerStanding, guestRefusal, hasRole } from '../access.js';
import { guarded } from '../dispatch.js';
import { decodeOrigin, modalValuesSchema } from '../registry/interaction.js';
import { buildContext, type Services } from './context.js';

/**
 * Modal submissions: validation runs before the ack so field errors show inline (`response_action: errors`); the role
 * check and the work run after, and the answer goes back where the modal was opened (its response_url), else privately
 * in the channel.
 */
export function registerModals(app: App, services: Services): void {
  for (const [callbackId, handler] of services.registry.modals) {
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view, client, logger }) => {
      const origin = decodeOrigin(view.private_metadata);
      const values = modalValuesSchema.safeParse(view.state.values);
      if (!values.success) {
        // Not a state Slack sends: close the form, note it, do nothing.
        await ack();
        logger.warn(`${callbackId}: a submission whose state Hogbot cannot read`);
        return;
      }
      const checked = handler.validate(values.data, origin);
      if ('errors' in checked) {
        await ack({ response_action: 'errors', errors: checked.errors });
        return;
      }
      await ack();
      const ctx = buildContext(
        services,
        {
          teamId: body.team?.id ?? body.user.team_id ?? '',
          enterpriseId: body.enterprise?.id ?? null,
          userId: body.user.id,
          channelId: origin.channelId,
          triggerId: body.trigger_id ?? null,
          responseUrl: origin.responseUrl,
        },
        client,
      );
      const { message } = await guarded(ctx, callbackId, async () => {
        // Forms read or change PostHog: the same guest rule as commands (src/access.ts).
        const { info, guestsAllowed } = await callerStanding(ctx);
        const refusal = guestRefusal(info, guestsAllowed, 'This form');
        if (refusal) return problemMessage(refusal);
        if (handler.role) {
          const role = await ctx.role();
          if (!hasRole(role, handler.role))
            return problemMessage(
              `This form needs the ${handler.role} role; you are a ${role}. Nothing was submitted: ask a workspace admin.`,
            );
        }
        return (await handler.submit(ctx, checked.data, origin)) ?? { text: '' };
      });
      if (!message.text && !message.blocks) return;
      const fitted = fitMessage(message);
      try {
        if (origin.responseUrl) {
          const res = await fetch(origin.responseUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...fitted, response_type: 'ephemeral', replace_original: false }),
          });
          if (res.ok) return;
        }
        if (origin.channelId) await client.chat.postEphemeral({ channel: origin.channelId, user: body.user.id, ...fitted });
        else await client.chat.postMessage({ channel: body.user.id, ...fitted });
      } catch (error) {
        logger.error(`${callbackId}: could not post the result`, error);
      }
    });
  }
}
