/** What the digest and alert commands share: reading channels, ids and time zones, and running a schedule by hand. */
import { randomInt } from 'node:crypto';
import { hasRole } from '../access.js';
import { CommandError } from '../errors.js';
import { sharedLimits } from '../limiter.js';
import type { CommandContext } from '../registry/command.js';
import type { NewSchedule, ScheduleKind, ScheduleRecord } from '../store/schedules.js';
import type { Role } from '../store/store.js';
import { isValidTimezone, parseTimeOfDay, parseWeekday } from './cadence.js';
import { createRuntime, type Runtime } from './runtime.js';

// No 0/o, 1/l: ids are read aloud and typed back.
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
export const SCHEDULE_ID = /^[da][a-z0-9]{6}$/;

/** `d` + 6 characters for digests, `a` + 6 for alerts. */
export function newScheduleId(kind: ScheduleKind): string {
  let id = kind === 'digest' ? 'd' : 'a';
  for (let i = 0; i < 6; i += 1) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/**
 * Stores a new digest or alert under a fresh id. Ids are short enough to type, so a collision is possible if rare:
 * the store refuses a taken id and a new one is drawn.
 */
export async function createScheduleWithFreshId(
  ctx: Pick<CommandContext, 'store'>,
  kind: ScheduleKind,
  record: Omit<NewSchedule, 'id' | 'kind'>,
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const id = newScheduleId(kind);
    if (await ctx.store.schedules.createSchedule({ ...record, id, kind })) return id;
  }
  throw new Error(`could not find a free ${kind} id`);
}

/**
 * A channel as Slack sends it in a slash command (`<#C123|growth>` once the app escapes channels), or a bare id.
 * A bare `#growth` means Slack did not recognise the channel: ask for it to be picked from the autocomplete.
 */
export function parseChannel(text: string): string {
  const escaped = /^<#([CGD][A-Z0-9]{2,})(\|[^>]*)?>$/.exec(text.trim());
  if (escaped) return escaped[1]!;
  if (/^[CGD][A-Z0-9]{2,}$/.test(text.trim())) return text.trim();
  throw new CommandError(
    `I can't tell which channel \`${text}\` is. Type \`#\` and pick the channel from Slack's list so it becomes a link, or leave it out to use this channel.`,
  );
}

/** How a plan names the channel: `#growth` when Slack sent the name, else its id. */
export function channelLabel(channelId: string, token?: string): string {
  const name = token ? /^<#[A-Z0-9]+\|([^>]+)>$/.exec(token.trim())?.[1] : undefined;
  return name ? `#${name}` : channelId;
}

export function isChannelToken(text: string): boolean {
  return /^<#[CGD][A-Z0-9]{2,}(\|[^>]*)?>$/.test(text) || /^#\S+$/.test(text) || /^[CG][A-Z0-9]{8,}$/.test(text);
}

/** The channel the command came from, when a digest can go there. */
export function currentChannel(ctx: Pick<CommandContext, 'channelId'>): string {
  if (!ctx.channelId) throw new CommandError('Name the channel to post to, e.g. `#growth`.');
  return ctx.channelId;
}

export function checkTimezone(tz: string): string {
  if (!isValidTimezone(tz))
    throw new CommandError(`\`${tz}\` is not a time zone I know. Use an IANA name such as \`Europe/Berlin\` or \`America/New_York\`.`);
  return tz;
}

export async function findSchedule(ctx: Pick<CommandContext, 'store' | 'teamId'>, kind: ScheduleKind, id: string): Promise<ScheduleRecord> {
  const found = await ctx.store.schedules.getSchedule(ctx.teamId, id.toLowerCase());
  if (!found || found.kind !== kind) throw new CommandError(`There is no ${kind} \`${id}\` in this workspace. See \`/ph ${kind} list\`.`);
  return found;
}

/** Buttons skip the command parser, so they check the role themselves. */
export async function requireRole(ctx: Pick<CommandContext, 'role'>, required: Role, what: string): Promise<void> {
  const role = await ctx.role();
  if (!hasRole(role, required)) throw new CommandError(`${what} needs the ${required} role; you are a ${role}. Ask a workspace admin.`);
}

/** The runtime for a "Run now" from a command or a button: this workspace's Slack client, the process's limits. */
export function runtimeFor(ctx: CommandContext): Runtime {
  // homeTeam carries the connection rule (src/tenancy.ts) into the run: a manual run reads exactly what a command may.
  const services = {
    config: ctx.config,
    store: ctx.store,
    gateway: ctx.gateway,
    registry: ctx.registry,
    logger: ctx.logger,
    now: () => ctx.now(),
    ...(ctx.homeTeam ? { homeTeam: ctx.homeTeam } : {}),
  };
  return createRuntime({ services, slackFor: async () => ctx.slack, limits: sharedLimits() });
}

export interface ScheduleWords {
  frequency: 'daily' | 'weekly' | 'monthly';
  weekday?: string;
  day?: number;
  hour: number;
  minute: number;
  /** The channel token as typed, when given. */
  channel?: string;
  title?: string;
}

/**
 * `daily 09:00 #growth Growth`, `weekly mon 9am #growth "Weekly growth"`, `monthly 1 08:30 Monthly numbers`.
 * Filler words ("on", "at") are allowed where people put them.
 */
export function parseScheduleWords(text: string): ScheduleWords {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const next = () => {
    while (words[0] && /^(on|at|every)$/i.test(words[0])) words.shift();
    return words.shift();
  };
  const frequency = next()?.toLowerCase();
  if (frequency !== 'daily' && frequency !== 'weekly' && frequency !== 'monthly') {
    throw new CommandError(
      'Start with how often: `daily`, `weekly <weekday>` or `monthly <day>`, e.g. `/ph digest add daily 09:00 #growth "Growth"`.',
    );
  }
  const out: Partial<ScheduleWords> = { frequency };
  if (frequency === 'weekly') {
    const weekday = next();
    if (!weekday || !parseWeekday(weekday)) throw new CommandError('Say which weekday: `/ph digest add weekly monday 09:00 …`.');
    out.weekday = parseWeekday(weekday)!;
  }
  if (frequency === 'monthly') {
    const day = next();
    if (!day || !/^\d{1,2}$/.test(day) || Number(day) < 1 || Number(day) > 31)
      throw new CommandError('Say which day of the month (1-31): `/ph digest add monthly 1 09:00 …`.');
    out.day = Number(day);
  }
  const time = next();
  const parsed = time ? parseTimeOfDay(time) : null;
  if (!parsed) throw new CommandError(`Say at what time, like \`09:00\` or \`9am\`${time ? ` (\`${time}\` is not a time)` : ''}.`);
  out.hour = parsed.hour;
  out.minute = parsed.minute;
  if (words[0] && isChannelToken(words[0])) out.channel = words.shift()!;
  const title = words
    .join(' ')
    .replace(/^["“”']+|["“”']+$/g, '')
    .trim();
  if (title) out.title = title;
  return out as ScheduleWords;
}
