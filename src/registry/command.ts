import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { z } from 'zod';
import type { Message, View } from '../../views/blocks.js';
import type { AppConfig } from '../config.js';
import type { Gateway, PostHogClient } from '../posthog/client.js';
import type { ProfileOptions, SlackProfile } from '../slack/profile.js';
import type { Role, Store, WorkspaceSettings } from '../store/store.js';
import type { HomeTeam } from '../tenancy.js';
import type { Registry } from './registry.js';

/** Everything a command may use. Built per request by src/slack/context.ts; tests build it the same way. */
export interface CommandContext {
  readonly teamId: string;
  readonly enterpriseId: string | null;
  readonly userId: string;
  readonly channelId: string | null;
  readonly triggerId: string | null;
  /** The caller added `--share`: the answer goes to the channel, so files it carries should too. */
  readonly share: boolean;
  readonly config: AppConfig;
  readonly store: Store;
  readonly gateway: Gateway;
  readonly slack: WebClient;
  readonly registry: Registry;
  readonly logger: Logger;
  now(): Date;
  /** This workspace's saved choices (defaults when it chose nothing). */
  workspace(): Promise<WorkspaceSettings>;
  /** This workspace's name as Slack shows it (team.info, cached), or null when Slack won't say. */
  workspaceName(): Promise<string | null>;
  /** A PostHog client that carries this workspace's Maton connection, and no other. */
  posthog(): Promise<PostHogClient>;
  /** The project to use in `/api/projects/{id}/...`: the chosen one, else PostHog's `@current`. */
  projectId(): Promise<number | '@current'>;
  /**
   * The caller's Slack profile (time zone, admin flags, name), shared by every lookup in this process for a few minutes
   * (src/slack/profile.ts). `fresh` asks Slack now, for commands where someone checks their own standing.
   */
  profile(options?: ProfileOptions): Promise<SlackProfile>;
  /** The caller's role in this workspace: Slack's admin flags from `profile()`, Hogbot's grants read now. */
  role(options?: ProfileOptions): Promise<Role>;
  /** Opens a modal with the request's trigger_id (valid 3 s, once). */
  openModal(view: View): Promise<void>;
  /** Shows an interim answer ("Running…") that the final answer replaces in place. */
  progress(message: Message): Promise<void>;
  /** The request's response_url, to carry into a modal's origin; null for events. */
  readonly responseUrl: string | null;
  /** A single-workspace install's own team, the only one the gateway's default connection serves (src/tenancy.ts). */
  readonly homeTeam?: HomeTeam | undefined;
}

export type ArgsSchema = z.ZodObject;

interface BaseCommand<S extends ArgsSchema> {
  /** One or more lowercase words: `whoami`, `connection use`. */
  name: string;
  aliases?: string[];
  /** One line for `/ph help`. */
  summary: string;
  /** The arguments part of the usage line, e.g. `<id|name>` or `[search] [--active]`. */
  usage?: string;
  examples?: string[];
  /** Named fields; flags (`--limit 5`, `--active`) map to fields of the same (camelCased) name. */
  args: S;
  /** Positional words, in order, mapped to these fields. */
  positional?: readonly string[];
  /** A field that receives every remaining word, joined by spaces (free text such as a search). */
  rest?: string;
  /** A field that receives the command's whole remaining text untouched but for declared flags (HogQL). */
  raw?: string;
  role: Role;
}

export interface ReadCommand<S extends ArgsSchema = ArgsSchema> extends BaseCommand<S> {
  mutates: false;
  run(ctx: CommandContext, args: z.output<S>): Promise<Message>;
}

/** What a write will do, shown before anything changes. */
export interface PlanDraft<P> {
  title: string;
  /** Where it happens: connection, project, object. */
  target: Array<{ label: string; value: string }>;
  changes: Array<{ what: string; before: string; after: string }>;
  warning?: string;
  /** Everything `apply` needs, validated again by `payload` when the button is clicked. */
  payload: P;
  /** The object's version as shown (a flag's `version`); `check` compares it at Confirm. */
  fingerprint?: string;
  /** What the audit log records: the object and its state before and after. */
  subject?: WriteSubject;
}

/** The object a write changes, as the audit log keeps it. */
export interface WriteSubject {
  /** `feature_flag`, `annotation`, `role`, `setting`... */
  type: string;
  /** Null until a create has run (its `Applied.objectId` fills it in). */
  id: string | null;
  label: string;
  connectionId?: string | null;
  projectId?: number | null;
  before: unknown;
  after: unknown;
}

/** An applied write's answer plus what only running it revealed (a created object's id, its state afterwards). */
export interface Applied {
  message: Message;
  objectId?: string;
  after?: unknown;
}

export interface WriteCommand<S extends ArgsSchema = ArgsSchema, P = unknown> extends BaseCommand<S> {
  mutates: true;
  /**
   * `'skip'`: a low-risk setting of Hogbot's own (pausing a digest) applies at once, still stored, claimed once and audited,
   * with its Undo. Only where a workspace requires approvals and the caller is not an admin does it show Confirm anyway.
   */
  confirm?: 'skip';
  payload: z.ZodType<P>;
  /** Reads current state and describes the change; returns a plain message when there is nothing to do. */
  plan(ctx: CommandContext, args: z.output<S>): Promise<PlanDraft<P> | Message>;
  /**
   * Re-reads the object at Confirm, before anything changes. Null when it still matches `fingerprint`; otherwise a fresh
   * plan from its current state (or a message saying why there is nothing to do), and the old plan ends unapplied.
   */
  check?(ctx: CommandContext, payload: P, fingerprint: string): Promise<PlanDraft<P> | Message | null>;
  apply(ctx: CommandContext, payload: P): Promise<Message | Applied>;
}

// biome-ignore lint: the registry holds commands of every argument shape.
export type AnyCommand = ReadCommand<any> | WriteCommand<any, any>;

export function defineCommand<S extends ArgsSchema>(spec: ReadCommand<S>): ReadCommand<S>;
export function defineCommand<S extends ArgsSchema, P>(spec: WriteCommand<S, P>): WriteCommand<S, P>;
export function defineCommand(spec: AnyCommand): AnyCommand {
  return spec;
}

export function isPlanDraft<P>(value: PlanDraft<P> | Message): value is PlanDraft<P> {
  return 'payload' in value && 'changes' in value;
}

/** The full invocation, for help and usage lines. */
export function usageLine(command: AnyCommand): string {
  return `/ph ${command.name}${command.usage ? ` ${command.usage}` : ''}`;
}
