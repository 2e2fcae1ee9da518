import { checkImageFiles } from '../images.js';
import { imChannelFor } from '../directory.js';
import { checkView } from '../block-kit.js';
import { authOf, fail, missing, rejectBlocks, str, type MethodContext, type MethodResult, type MethodSpec } from '../state.js';
import type { FakeView } from '../types.js';

/** A trigger_id is good for 3 s and one exchange. */
export const TRIGGER_TTL_MS = 3000;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Consumes the trigger, or explains why it cannot be used. Triggers the fake did not mint are taken on trust
 * unless `strictTriggers` is set, so hand-written payloads keep working. */
function exchangeTrigger(ctx: MethodContext): { userId?: string } | MethodResult {
  const id = str(ctx.args, 'trigger_id') ?? str(ctx.args, 'interactivity_pointer');
  if (id === undefined) return missing('trigger_id');
  const trigger = ctx.state.triggers.get(id);
  if (!trigger) return ctx.state.options.strictTriggers ? fail('invalid_trigger_id') : {};
  if (trigger.used) return fail('exchanged_trigger_id');
  if (ctx.state.now().getTime() - trigger.issuedAt > TRIGGER_TTL_MS) return fail('expired_trigger_id');
  trigger.used = true;
  return trigger.userId === undefined ? {} : { userId: trigger.userId };
}

const isFailure = (v: object): v is MethodResult => 'ok' in v;

/** `homeOf`: the Home tab's user, whose DM with the app is where its images must be shared; modals have no conversation. */
function viewArg(ctx: MethodContext, homeOf?: string): Json | MethodResult {
  const view = ctx.args.view;
  if (view === undefined) return missing('view');
  const conversation = homeOf === undefined ? null : imChannelFor(homeOf);
  const problem = checkView(view) ?? checkImageFiles((view as { blocks?: unknown }).blocks, '/view/blocks', { conversation }, ctx.state);
  // views.* report block problems as invalid_arguments, as checkView does.
  if (problem) return rejectBlocks({ ...problem, error: 'invalid_arguments' });
  return view as Json;
}

function hashFor(ctx: MethodContext): string {
  return `${Math.floor(ctx.state.now().getTime() / 1000)}.${ctx.state.nextId('').replace(/^0+/, '')}`;
}

function buildView(ctx: MethodContext, spec: Json, id: string, root: string, previous: string | null): FakeView {
  const auth = authOf(ctx);
  const view: FakeView = {
    id,
    team_id: auth.teamId,
    type: String(spec.type),
    blocks: Array.isArray(spec.blocks) ? spec.blocks : [],
    private_metadata: typeof spec.private_metadata === 'string' ? spec.private_metadata : '',
    callback_id: typeof spec.callback_id === 'string' ? spec.callback_id : '',
    external_id: typeof spec.external_id === 'string' ? spec.external_id : '',
    state: { values: {} },
    hash: hashFor(ctx),
    clear_on_close: spec.clear_on_close === true,
    notify_on_close: spec.notify_on_close === true,
    root_view_id: root,
    previous_view_id: previous,
    app_id: ctx.state.directory.appId,
    bot_id: auth.botId,
    app_installed_team_id: auth.teamId,
  };
  for (const key of ['title', 'submit', 'close'] as const) if (spec[key] !== undefined) view[key] = spec[key];
  return view;
}

/** Slack returns the view without fake-only fields. */
function present(view: FakeView): Json {
  const { userId: _userId, ...slack } = view;
  return slack;
}

function openOrPush(ctx: MethodContext, action: 'opened' | 'pushed'): MethodResult {
  const spec = viewArg(ctx);
  if (isFailure(spec)) return spec;
  if (spec.type !== 'modal') return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view type must be modal'] } });
  const trigger = exchangeTrigger(ctx);
  if (isFailure(trigger)) return trigger;
  const id = ctx.state.nextId('V');
  // The fake does not track modal stacks, so a pushed view is its own root.
  const view = buildView(ctx, spec, id, id, null);
  if (trigger.userId !== undefined) view.userId = trigger.userId;
  ctx.state.views.set(id, view);
  ctx.state.recorder.changed({ kind: 'view', action, viewId: id });
  return { ok: true, view: present(view) };
}

function findView(ctx: MethodContext): FakeView | undefined {
  const id = str(ctx.args, 'view_id');
  if (id !== undefined) return ctx.state.views.get(id);
  const external = str(ctx.args, 'external_id');
  return external === undefined ? undefined : [...ctx.state.views.values()].find((v) => v.external_id === external);
}

export const viewMethods: Record<string, MethodSpec> = {
  'views.open': { needsToken: true, handle: (ctx) => openOrPush(ctx, 'opened') },
  'views.push': { needsToken: true, handle: (ctx) => openOrPush(ctx, 'pushed') },

  'views.update': {
    needsToken: true,
    handle(ctx) {
      if (str(ctx.args, 'view_id') === undefined && str(ctx.args, 'external_id') === undefined) {
        return missing('view_id or external_id');
      }
      const existing = findView(ctx);
      if (!existing) return fail('not_found');
      const hash = str(ctx.args, 'hash');
      if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
      const spec = viewArg(ctx);
      if (isFailure(spec)) return spec;
      const view = buildView(ctx, spec, existing.id, existing.root_view_id, existing.previous_view_id);
      if (existing.userId !== undefined) view.userId = existing.userId;
      ctx.state.views.set(view.id, view);
      ctx.state.recorder.changed({ kind: 'view', action: 'updated', viewId: view.id });
      return { ok: true, view: present(view) };
    },
  },

  'views.publish': {
    needsToken: true,
    handle(ctx) {
      const userId = str(ctx.args, 'user_id');
      if (userId === undefined) return missing('user_id');
      const spec = viewArg(ctx, userId);
      if (isFailure(spec)) return spec;
      if (spec.type !== 'home') return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view type must be home'] } });
      const existingId = ctx.state.homeViews.get(userId);
      const existing = existingId === undefined ? undefined : ctx.state.views.get(existingId);
      const hash = str(ctx.args, 'hash');
      if (existing && hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
      const id = existing?.id ?? ctx.state.nextId('V');
      const view = buildView(ctx, spec, id, id, null);
      view.userId = userId;
      ctx.state.views.set(id, view);
      ctx.state.homeViews.set(userId, id);
      ctx.state.recorder.changed({ kind: 'view', action: 'published', viewId: id });
      return { ok: true, view: present(view) };
    },
  },
};
