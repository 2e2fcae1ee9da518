import { context, escapeMrkdwn, type Message, section } from './blocks.js';

/** A short answer to something that went wrong: what happened and what to do next. */
export function problemMessage(text: string): Message {
  return { text, blocks: [section(`:warning: ${text}`)] };
}

export function unknownCommandMessage(model: { input: string; suggestions: string[] }): Message {
  const guess = model.suggestions.length > 0 ? ` Did you mean ${model.suggestions.map((s) => `\`/ph ${s}\``).join(' or ')}?` : '';
  const text = `I don't know \`/ph ${escapeMrkdwn(model.input)}\`.${guess}`;
  return { text, blocks: [section(`:thinking_face: ${text}`), context('See every command with `/ph help`.')] };
}

export function usageProblemMessage(model: { problems: string[]; usage: string | null; examples: string[] }): Message {
  const lines = model.problems.map((p) => `• ${escapeMrkdwn(p)}`).join('\n');
  const usage = model.usage ? `\nUsage: \`${escapeMrkdwn(model.usage)}\`` : '';
  const examples = model.examples.length > 0 ? `\nExample: \`${escapeMrkdwn(model.examples[0]!)}\`` : '';
  const text = `${lines}${usage}${examples}`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}

export function internalErrorMessage(reference: string): Message {
  const text = `Something went wrong on Hogbot's side (reference \`${reference}\`). Nothing was changed; please try again.`;
  return { text, blocks: [section(`:boom: ${text}`)] };
}
