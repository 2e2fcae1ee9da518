import { context, escapeMrkdwn, type KnownBlock, type Message, section } from './blocks.js';
import { runButton } from './run-button.js';

export interface PickOption {
  /** Plain text (escaped here). */
  title: string;
  /** mrkdwn, already escaped: id, status, counts. */
  detail: string;
  /** The `/ph` command the option's button runs, e.g. `dashboard 30001`. */
  command: string;
}

const MAX_OPTIONS = 20;

/** Several objects answer to the name the user typed: one button per object, each running the exact command. */
export function pickListMessage(m: { noun: string; query: string; options: PickOption[] }): Message {
  const blocks: KnownBlock[] = [section(`Several ${m.noun}s match “${escapeMrkdwn(m.query)}”. Pick one:`)];
  for (const option of m.options.slice(0, MAX_OPTIONS)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(option.title)}*  ${option.detail}` },
      accessory: runButton('Show', option.command),
    });
  }
  if (m.options.length > MAX_OPTIONS) blocks.push(context(`${m.options.length - MAX_OPTIONS} more not shown: type more of the name.`));
  return { text: `Several ${m.noun}s match ${m.query}`, blocks };
}
