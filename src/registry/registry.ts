import type { AnyCommand } from './command.js';
import type { ActionHandler, Interaction, ModalHandler } from './interaction.js';
import type { Token } from './tokenize.js';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

const NAME = /^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$/;

/** Every `/ph` subcommand, looked up by its longest matching name or alias. Built once at startup. */
export class Registry {
  private readonly byName = new Map<string, AnyCommand>();
  /** Words in the longest name or alias: `match` never joins more, so its work doesn't grow with the input. */
  private maxWords = 1;
  readonly commands: readonly AnyCommand[];
  readonly actions = new Map<string, ActionHandler>();
  readonly modals = new Map<string, ModalHandler>();

  constructor(commands: readonly AnyCommand[], interactions: readonly Interaction[] = []) {
    for (const interaction of interactions) {
      const [id, map] = interaction.kind === 'action' ? [interaction.actionId, this.actions] : [interaction.callbackId, this.modals];
      if (map.has(id)) throw new RegistryError(`Duplicate ${interaction.kind} id "${id}"`);
      (map as Map<string, Interaction>).set(id, interaction);
    }
    for (const command of commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (!NAME.test(name)) throw new RegistryError(`Command name "${name}" must be lowercase words`);
        const clash = this.byName.get(name);
        if (clash) throw new RegistryError(`Duplicate command name "${name}" (${clash.name} and ${command.name})`);
        this.byName.set(name, command);
        this.maxWords = Math.max(this.maxWords, name.split(' ').length);
      }
      if (command.args.type !== 'object') throw new RegistryError(`Command "${command.name}" must declare z.object() args`);
    }
    this.commands = [...commands].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): AnyCommand | undefined {
    return this.byName.get(name);
  }

  /** The command whose name (or alias) matches the most leading words; `consumed` says how many. */
  match(tokens: readonly Token[]): { command: AnyCommand; consumed: number } | null {
    // Only the first few words can name a command: joining every prefix of a 40 KB input was quadratic (issue 11).
    const words: string[] = [];
    for (const token of tokens) {
      if (token.quoted || token.value.startsWith('-') || words.length === this.maxWords) break;
      words.push(token.value.toLowerCase());
    }
    for (let n = words.length; n > 0; n -= 1) {
      const command = this.byName.get(words.slice(0, n).join(' '));
      if (command) return { command, consumed: n };
    }
    return null;
  }

  /** The commands of one family: those whose first word is `word` (`connection list`, `connection use`...). */
  family(word: string): AnyCommand[] {
    return this.commands.filter((c) => c.name.split(' ')[0] === word);
  }

  /** First words of every command and alias, for suggestions. */
  topWords(): string[] {
    return [...new Set([...this.byName.keys()].map((n) => n.split(' ')[0]!))];
  }

  /** Every name and alias, for suggestions. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
