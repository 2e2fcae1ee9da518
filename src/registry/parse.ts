import type { z } from 'zod';
import type { AnyCommand } from './command.js';
import type { Registry } from './registry.js';
import { closestMatches } from './suggest.js';
import { decodeSlackEscapes, type Token, TokenizeError, tokenize } from './tokenize.js';

export type Parsed =
  | { kind: 'help'; topic: AnyCommand | null; family: AnyCommand[] }
  | { kind: 'unknown'; input: string; suggestions: string[] }
  | { kind: 'invalid'; command: AnyCommand | null; problems: string[] }
  | { kind: 'ok'; command: AnyCommand; args: Record<string, unknown>; share: boolean };

const SHARE = 'share';
const MAX_PROBLEMS = 5;
const MAX_LISTED = 10;

const listSome = (items: string[]) =>
  items.length > MAX_LISTED ? `${items.slice(0, MAX_LISTED).join(' ')} …and ${items.length - MAX_LISTED} more` : items.join(' ');

/** Turns `/ph` text into a command and validated arguments, or says precisely what is wrong. Pure and synchronous. */
export function parseInvocation(registry: Registry, text: string): Parsed {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (!(error instanceof TokenizeError)) throw error;
    // Raw commands (HogQL) own their quoting: let their own parser report an unclosed quote, with its position.
    const words = text
      .trim()
      .split(/\s+/)
      .map((value) => ({ value, quoted: false }));
    const raw = registry.match(words);
    if (raw?.command.raw) return bindRaw(raw.command, text, raw.consumed);
    return { kind: 'invalid', command: null, problems: [error.message] };
  }
  const first = tokens[0];
  if (!first || (!first.quoted && ['--help', '-h'].includes(first.value.toLowerCase()))) return helpTopic(registry, '');

  const matched = registry.match(tokens);
  if (!matched) return unknown(registry, tokens);
  const { command, consumed } = matched;
  const after = tokens[consumed];
  if (after && !after.quoted && ['help', '--help', '-h'].includes(after.value.toLowerCase())) {
    return helpTopic(
      registry,
      tokens
        .slice(0, consumed)
        .map((t) => t.value)
        .join(' '),
    );
  }
  const rest = tokens.slice(consumed);
  return command.raw ? bindRaw(command, text, consumed) : bindTokens(command, rest);
}

/** What `/ph help <topic>` is about: one command, one family, everything, or an unknown word. */
export function helpTopic(registry: Registry, topic: string): Parsed {
  let tokens: Token[];
  try {
    tokens = tokenize(topic);
  } catch {
    tokens = [];
  }
  if (tokens.length === 0) return { kind: 'help', topic: null, family: [] };
  const matched = registry.match(tokens);
  const family = registry.family(tokens[0]!.value.toLowerCase());
  // A family word that is also an alias (`flag` for `flag show`) asks about the whole family.
  const familyWord = matched?.consumed === 1 && tokens.length === 1 && family.length > 1;
  if (matched && !familyWord) return { kind: 'help', topic: matched.command, family: [] };
  if (family.length > 0) return { kind: 'help', topic: null, family };
  return unknown(registry, tokens);
}

function unknown(registry: Registry, tokens: Token[]): Parsed {
  const words = tokens.filter((t) => !t.quoted && !t.value.startsWith('-')).map((t) => t.value.toLowerCase());
  const firstWord = words[0] ?? tokens[0]!.value;
  const family = registry.family(firstWord);
  if (family.length > 0) {
    // Right family, wrong or missing subcommand: "/ph connection" or "/ph connection lsit".
    if (words.length === 1) return { kind: 'help', topic: null, family };
    const attempted = words.slice(0, 2).join(' ');
    return {
      kind: 'unknown',
      input: attempted,
      suggestions: closestMatches(
        attempted,
        family.map((c) => c.name),
      ),
    };
  }
  const input = words.slice(0, 2).join(' ') || firstWord;
  const suggestions = closestMatches(firstWord, registry.topWords());
  const fuller = suggestions.length > 0 ? suggestions : closestMatches(input, registry.names());
  return { kind: 'unknown', input, suggestions: fuller };
}

type FlagKind = 'boolean' | 'value';

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } };
  for (let i = 0; i < 10; i += 1) {
    const def = current._zod.def;
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) break;
    current = inner as unknown as typeof current;
  }
  return current as unknown as z.ZodType;
}

function flagKind(command: AnyCommand, field: string): FlagKind | null {
  const shape = command.args.shape as Record<string, z.ZodType>;
  const schema = shape[field];
  if (!schema) return null;
  return (unwrap(schema) as unknown as { _zod: { def: { type: string } } })._zod.def.type === 'boolean' ? 'boolean' : 'value';
}

const camel = (flag: string) => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function bindTokens(command: AnyCommand, tokens: Token[]): Parsed {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const positional = command.positional ?? [];
  const leftovers: string[] = [];
  let share = false;
  let index = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (!token.quoted && token.value.startsWith('--') && token.value.length > 2) {
      const [rawName, inlineValue] = splitFlag(token.value.slice(2));
      if (rawName === SHARE) {
        share = true;
        continue;
      }
      const field = camel(rawName);
      const kind = flagKind(command, field);
      if (!kind || positional.includes(field) || field === command.rest) {
        problems.push(`Unknown option \`--${rawName}\`.`);
        continue;
      }
      if (kind === 'boolean') {
        values[field] = inlineValue === undefined ? true : !['false', 'no', '0', 'off'].includes(inlineValue.toLowerCase());
      } else if (inlineValue !== undefined) {
        values[field] = inlineValue;
      } else if (tokens[i + 1] && !(tokens[i + 1]!.value.startsWith('--') && !tokens[i + 1]!.quoted)) {
        values[field] = tokens[i + 1]!.value;
        i += 1;
      } else {
        problems.push(`\`--${rawName}\` needs a value.`);
      }
      continue;
    }
    if (index < positional.length) {
      values[positional[index]!] = token.value;
      index += 1;
    } else {
      leftovers.push(token.value);
    }
  }
  if (leftovers.length > 0) {
    // `rest` may also be the last positional ("project use Acme Web"): it then takes every remaining word.
    if (command.rest) values[command.rest] = [values[command.rest], ...leftovers].filter((w) => w !== undefined).join(' ');
    else
      problems.push(
        `Unexpected ${leftovers.length === 1 ? 'argument' : 'arguments'}: ${listSome(leftovers.map((w) => `\`${w.slice(0, 40)}\``))}.`,
      );
  }
  return validate(command, values, share, problems);
}

function splitFlag(body: string): [string, string | undefined] {
  const eq = body.indexOf('=');
  return eq === -1 ? [body.toLowerCase(), undefined] : [body.slice(0, eq).toLowerCase(), body.slice(eq + 1)];
}

/** Raw commands (HogQL) keep their text as typed; only declared `--flags` and `--share` are lifted out. */
function bindRaw(command: AnyCommand, text: string, consumed: number): Parsed {
  const field = command.raw!;
  const skipName = new RegExp(`^\\s*${Array.from({ length: consumed }, () => '\\S+').join('\\s+')}`);
  let body = text.replace(skipName, '');
  const values: Record<string, unknown> = {};
  let share = false;
  const flagPattern = /(^|\s)--([a-z][a-z-]*)(?:(?:=|\s+)(?!--)("[^"]*"|\S+))?(?=\s|$)/gi;
  body = body.replace(flagPattern, (whole, lead: string, rawName: string, rawValue?: string) => {
    const name = rawName.toLowerCase();
    if (name === SHARE) {
      share = true;
      return lead + (rawValue ?? '');
    }
    const fieldName = camel(name);
    const kind = fieldName === field ? null : flagKind(command, fieldName);
    if (!kind) return whole;
    if (kind === 'boolean') {
      values[fieldName] = true;
      return lead + (rawValue ?? '');
    }
    if (rawValue === undefined) return whole;
    values[fieldName] = rawValue.replace(/^"|"$/g, '');
    return lead;
  });
  values[field] = decodeSlackEscapes(body).trim();
  return validate(command, values, share, []);
}

function validate(command: AnyCommand, values: Record<string, unknown>, share: boolean, problems: string[]): Parsed {
  const result = command.args.safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      const label =
        (command.positional ?? []).includes(field) || field === command.rest || field === command.raw ? `<${field}>` : `--${kebab(field)}`;
      const missing = issue.code === 'invalid_type' && values[field] === undefined;
      problems.push(missing ? `${label} is required.` : `${label}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) {
    // One line per mistake, but a pasted wall of text makes thousands: the first few say what is wrong.
    const shown =
      problems.length > MAX_PROBLEMS
        ? [...problems.slice(0, MAX_PROBLEMS), `…and ${problems.length - MAX_PROBLEMS} more problems.`]
        : problems;
    return { kind: 'invalid', command, problems: shown };
  }
  return { kind: 'ok', command, args: result.data as Record<string, unknown>, share };
}
