import { context, divider, escapeMrkdwn, header, type KnownBlock, type Message, section } from './blocks.js';

export interface HelpEntry {
  usage: string;
  summary: string;
  mutates: boolean;
}

export interface CommandHelpModel extends HelpEntry {
  aliases: string[];
  examples: string[];
  role: string;
}

const mark = (entry: HelpEntry) => (entry.mutates ? ' :lock:' : '');
const line = (e: HelpEntry) => `\`${escapeMrkdwn(e.usage)}\` ${e.summary}${mark(e)}`;

/** `/ph help`: every command, grouped by family (first word). */
export function helpMessage(model: { families: Array<{ family: string; entries: HelpEntry[] }> }): Message {
  const blocks: KnownBlock[] = [header('Hogbot: PostHog from Slack')];
  let chunk = '';
  const flush = () => {
    if (chunk) blocks.push(section(chunk.trimEnd()));
    chunk = '';
  };
  for (const { entries } of model.families) {
    const lines = `${entries.map(line).join('\n')}\n\n`;
    if (chunk.length + lines.length > 2800) flush();
    chunk += lines;
  }
  flush();
  blocks.push(
    divider,
    context(
      ':lock: asks for confirmation before changing anything. Add `--share` to post an answer in the channel. `/ph &lt;command&gt; help` for details.',
    ),
  );
  return { text: 'Hogbot commands: /ph help', blocks };
}

/** `/ph connection`: the subcommands of one family. */
export function familyHelpMessage(model: { family: string; entries: HelpEntry[] }): Message {
  const lines = model.entries.map(line).join('\n');
  return { text: `/ph ${model.family} commands`, blocks: [section(`*\`/ph ${model.family}\` commands*\n${lines}`)] };
}

/** `/ph <command> help`. */
export function commandHelpMessage(model: CommandHelpModel): Message {
  const parts = [`*\`${escapeMrkdwn(model.usage)}\`*`, model.summary];
  if (model.aliases.length > 0) parts.push(`Also: ${model.aliases.map((a) => `\`/ph ${a}\``).join(', ')}`);
  if (model.examples.length > 0) parts.push(`Examples:\n${model.examples.map((e) => `\`${escapeMrkdwn(e)}\``).join('\n')}`);
  const notes = [`Needs role: ${model.role}`];
  if (model.mutates) notes.push('asks for confirmation before changing anything');
  return { text: model.usage, blocks: [section(parts.join('\n')), context(notes.join(' · '))] };
}
