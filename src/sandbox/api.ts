import { z } from 'zod';
import { imChannelFor } from '../fake-slack/index.js';
import { usageLine } from '../registry/command.js';
import type { Registry } from '../registry/registry.js';
import type { Actor } from './bridge.js';
import type { LocalSlack } from './local-slack.js';
import { findMember, WORKSPACES } from './people.js';

/** A page request the server refuses; `status` is the HTTP status to answer with. */
export class PageRequestError extends Error {
  override readonly name = 'PageRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const id = z.string().regex(/^[A-Z0-9.]{1,64}$/);
const who = { team: id, user: id };

/** What the page sends. Element fields keep Slack's names so they pass through to block_actions untouched. */
const ActionElement = z.looseObject({
  action_id: z.string().min(1).max(255),
  block_id: z.string().max(255).optional(),
  type: z.string().min(1).max(64),
});
const Values = z.record(z.string().max(255), z.record(z.string().max(255), z.looseObject({ type: z.string() })));

export const PageRequests = {
  command: z.object({ ...who, channel: id, text: z.string().min(1).max(4000) }),
  message: z.object({ ...who, channel: id, text: z.string().min(1).max(4000) }),
  action: z.object({
    ...who,
    where: z.union([z.object({ channel: id, ts: z.string().max(32) }), z.object({ viewId: id })]),
    action: ActionElement,
    state: Values.default({}),
  }),
  submit: z.object({ ...who, viewId: id, values: Values }),
  close: z.object({ ...who, viewId: id }),
  home: z.object({ ...who }),
};

export function actorOf(input: { team: string; user: string }): Actor {
  const member = findMember(input.team, input.user);
  if (!member) throw new PageRequestError(400, `${input.user} is not a member of ${input.team}`);
  return member;
}

/** Everything the page needs to draw itself: workspaces and people, the app, and the commands for completion. */
export function bootstrap(registry: Registry, botUserId: string, slackUrl = '') {
  return {
    slashCommand: '/ph',
    /** The local Slack's base URL: its file links are opened through the page's own /files/<id>. */
    slackUrl,
    bot: { id: botUserId, name: 'Hogbot' },
    workspaces: WORKSPACES.map((w) => ({
      ...w,
      users: w.users.map((u) => ({ ...u, dm: imChannelFor(u.id) })),
    })),
    commands: registry.commands.map((c) => ({
      name: c.name,
      aliases: c.aliases ?? [],
      usage: usageLine(c),
      summary: c.summary,
      examples: c.examples ?? [],
      mutates: c.mutates,
      role: c.role,
    })),
  };
}

type Handler = (body: unknown, local: LocalSlack) => Promise<unknown>;

/** POST /api/<name>: validated at the edge, then handed to the local Slack. */
export const POST_HANDLERS: Record<string, Handler> = {
  command: async (body, local) => {
    const input = PageRequests.command.parse(body);
    return local.command(actorOf(input), input.channel, input.text);
  },
  message: async (body, local) => {
    const input = PageRequests.message.parse(body);
    return { entry: await local.say(actorOf(input), input.channel, input.text) };
  },
  action: async (body, local) => {
    const input = PageRequests.action.parse(body);
    const ack = await local.click(actorOf(input), input.where, input.action, input.state);
    return { ok: ack.status === 200, status: ack.status, timedOut: ack.timedOut };
  },
  submit: async (body, local) => {
    const input = PageRequests.submit.parse(body);
    return local.submit(actorOf(input), input.viewId, input.values);
  },
  close: async (body, local) => {
    const input = PageRequests.close.parse(body);
    await local.closed(actorOf(input), input.viewId);
    return { ok: true };
  },
  home: async (body, local) => {
    const input = PageRequests.home.parse(body);
    const { view, delivered } = await local.openHome(actorOf(input));
    return { view: view ?? null, delivered };
  },
};
