import { randomBytes } from 'node:crypto';
import type { Message } from '../views/blocks.js';
import { internalErrorMessage, problemMessage, unknownCommandMessage, usageProblemMessage } from '../views/feedback.js';
import { callerStanding, guestMayAlwaysRun, guestRefusal, hasRole } from './access.js';
import { isCommandError } from './errors.js';
import { renderHelpFor } from './help.js';
import { planWrite } from './plans/propose.js';
import { isUpstreamError } from './posthog/errors.js';
import { describeUpstreamError } from './posthog/translate.js';
import { type AnyCommand, type CommandContext, usageLine } from './registry/command.js';
import { parseInvocation } from './registry/parse.js';
import { isSlackApiError, slackApiError, slackError, slackErrorAdvice } from './slack-error.js';

export interface Answer {
  message: Message;
  /** `in_channel` only when the user asked with --share and the command succeeded. */
  responseType: 'ephemeral' | 'in_channel';
}

const ephemeral = (message: Message): Answer => ({ message, responseType: 'ephemeral' });

/** Runs `/ph <text>` for one caller: parse, check role, run or plan, and turn every failure into a short answer. */
export async function dispatch(ctx: CommandContext, text: string): Promise<Answer> {
  const parsed = parseInvocation(ctx.registry, text);
  switch (parsed.kind) {
    case 'help':
      return ephemeral(renderHelpFor(ctx.registry, parsed));
    case 'unknown':
      return ephemeral(unknownCommandMessage(parsed));
    case 'invalid':
      return ephemeral(
        usageProblemMessage({
          problems: parsed.problems,
          usage: parsed.command ? usageLine(parsed.command) : null,
          examples: parsed.command?.examples ?? [],
        }),
      );
    case 'ok': {
      const message = await guarded(ctx, parsed.command.name, () =>
        runCommand({ ...ctx, share: parsed.share }, parsed.command, parsed.args),
      );
      return { message: message.message, responseType: parsed.share && message.ok ? 'in_channel' : 'ephemeral' };
    }
  }
}

async function runCommand(ctx: CommandContext, command: AnyCommand, args: Record<string, unknown>): Promise<Message> {
  // Every command asks Slack who the caller is, reader commands included: a reader command can show personal data,
  // and Slack guests (or users Slack can't resolve) see none unless the workspace allows guests (src/access.ts).
  const { info, guestsAllowed } = await callerStanding(ctx);
  // Writes are refused below by role (a guest only ever reads), before their plan reads anything.
  const refusal = command.mutates || guestMayAlwaysRun(command.name) ? null : guestRefusal(info, guestsAllowed, `\`/ph ${command.name}\``);
  if (refusal) return problemMessage(refusal);
  const role = info.role;
  if (!hasRole(role, command.role) && info.guest !== null) {
    return problemMessage(`\`/ph ${command.name}\` needs the ${command.role} role, and Slack guests only ever read in Hogbot.`);
  }
  if (!hasRole(role, command.role)) {
    return problemMessage(`\`/ph ${command.name}\` needs the ${command.role} role; you are a ${role}. Ask a workspace admin.`);
  }
  if (!command.mutates) return command.run(ctx, args);
  return planWrite(ctx, command, args);
}

/**
 * The one place where failures become answers: upstream errors through their translator, user mistakes as they are,
 * anything else logged with a reference the user can quote.
 */
export async function guarded(
  ctx: CommandContext,
  label: string,
  work: () => Promise<Message>,
): Promise<{ message: Message; ok: boolean }> {
  try {
    return { message: await work(), ok: true };
  } catch (error) {
    if (isUpstreamError(error)) {
      ctx.logger.warn(`${label}: upstream ${error.kind} ${error.status ?? ''} on ${error.method} ${error.path}`);
      return { message: problemMessage(describeUpstreamError(error)), ok: false };
    }
    // Includes path``'s InvalidPathSegmentError: a `..` typed into any command that reaches a URL is one sentence.
    if (isCommandError(error)) return { message: problemMessage(error.message), ok: false };
    if (isSlackApiError(error)) {
      // Slack's code and what to do about it; never the SDK's message, which carries transport detail.
      const code = slackError(error);
      ctx.logger.warn(`${label}: Slack API error ${code}`);
      return { message: problemMessage(`Slack refused one of Hogbot's requests (\`${code}\`): ${slackErrorAdvice(code)}.`), ok: false };
    }
    const reference = randomBytes(4).toString('hex');
    ctx.logger.error(`${label} failed (ref ${reference}):`, error);
    return { message: internalErrorMessage(reference), ok: false };
  }
}
