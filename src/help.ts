import type { Message } from '../views/blocks.js';
import { unknownCommandMessage } from '../views/feedback.js';
import { commandHelpMessage, familyHelpMessage, type HelpEntry, helpMessage } from '../views/help.js';
import { type AnyCommand, usageLine } from './registry/command.js';
import { helpTopic } from './registry/parse.js';
import type { Registry } from './registry/registry.js';

/** `/ph`, `/ph help [topic]` and `/ph <command> help`, all drawn from the registry. */
export function renderHelp(registry: Registry, topic: string): Message {
  return renderHelpFor(registry, helpTopic(registry, topic));
}

export function renderHelpFor(registry: Registry, parsed: ReturnType<typeof helpTopic>): Message {
  if (parsed.kind === 'unknown') return unknownCommandMessage(parsed);
  if (parsed.kind !== 'help') return helpMessage({ families: families(registry) });
  if (parsed.topic) {
    const c = parsed.topic;
    return commandHelpMessage({ ...entry(c), aliases: c.aliases ?? [], examples: c.examples ?? [], role: c.role });
  }
  if (parsed.family.length > 0) {
    return familyHelpMessage({ family: parsed.family[0]!.name.split(' ')[0]!, entries: parsed.family.map(entry) });
  }
  return helpMessage({ families: families(registry) });
}

function entry(command: AnyCommand): HelpEntry {
  return { usage: usageLine(command), summary: command.summary, mutates: command.mutates };
}

const FIRST = ['help', 'whoami', 'connection', 'project', 'projects'];

function families(registry: Registry) {
  const byFamily = new Map<string, HelpEntry[]>();
  for (const command of registry.commands) {
    const family = command.name.split(' ')[0]!;
    byFamily.set(family, [...(byFamily.get(family) ?? []), entry(command)]);
  }
  const rank = (f: string) => FIRST.indexOf(f) + 1 || 99;
  return [...byFamily.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([family, entries]) => ({ family, entries }));
}
