import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planButtons } from '../plans/confirm.js';
import type { AnyCommand } from './command.js';
import type { Interaction } from './interaction.js';
import { Registry } from './registry.js';

const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

/**
 * Builds the registry from every module in `commands/`: a new command family is one new file there, nothing else.
 * Each module's default export is a command or a list of them; its named export `interactions` lists the buttons,
 * selects and modals it owns; the plan buttons (Confirm, Cancel, Approve, Reject, Undo) come from src/plans/confirm.ts.
 * Duplicate names and ids fail here, at startup.
 */
export async function loadRegistry(dir = COMMANDS_DIR): Promise<Registry> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f) && !/\.(test|d)\.ts$/.test(f)).sort();
  const commands: AnyCommand[] = [];
  const interactions: Interaction[] = [...planButtons];
  for (const file of files) {
    const module = (await import(pathToFileURL(`${dir}/${file}`).href)) as {
      default?: AnyCommand | AnyCommand[];
      interactions?: Interaction[];
    };
    if (!module.default) throw new Error(`commands/${file} has no default export`);
    commands.push(...(Array.isArray(module.default) ? module.default : [module.default]));
    interactions.push(...(module.interactions ?? []));
  }
  return new Registry(commands, interactions);
}
