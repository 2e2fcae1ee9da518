import { actions, button, context, fields, header, type KnownBlock, type Message, section } from './blocks.js';
import { runButton } from './run-button.js';

export interface ConnectionRow {
  id: string;
  status: string;
  createdAt: string | null;
  updatedAt: string | null;
}

export const CONNECT_LINK_ACTION = 'hogbot_connect_link';

const STATUS_ICON: Record<string, string> = { ACTIVE: ':large_green_circle:', PENDING: ':hourglass_flowing_sand:', FAILED: ':red_circle:' };
const icon = (status: string) => STATUS_ICON[status] ?? ':white_circle:';

/** `usesDefault`: this workspace may fall back to the gateway's default connection (a single-workspace install's own). */
export function connectionsMessage(m: { connections: ConnectionRow[]; inUseId: string | null; usesDefault?: boolean }): Message {
  if (m.connections.length === 0) {
    return {
      text: 'No PostHog connections',
      blocks: [section('This workspace has no PostHog connections yet. Create one with `/ph connection connect`.')],
    };
  }
  const blocks: KnownBlock[] = [section(`*PostHog connections* (${m.connections.length})`)];
  for (const c of m.connections) {
    const inUse = c.id === m.inUseId;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${icon(c.status)} \`${c.id}\`  ${c.status}${inUse ? '  *in use here*' : ''}${c.createdAt ? `\n_created ${c.createdAt}_` : ''}`,
      },
      ...(!inUse && c.status === 'ACTIVE' ? { accessory: runButton('Use', `connection use ${c.id}`) } : {}),
    });
  }
  blocks.push(
    context(
      m.inUseId
        ? 'Switch with `/ph connection use &lt;id&gt;`.'
        : m.usesDefault === false
          ? 'This workspace uses no connection yet. Pick one with `/ph connection use &lt;id&gt;`.'
          : 'This workspace uses the gateway’s default connection. Pick one with `/ph connection use &lt;id&gt;`.',
    ),
  );
  return { text: `${m.connections.length} PostHog connections`, blocks };
}

export function connectionCardMessage(m: { connection: ConnectionRow; inUse: boolean }): Message {
  const c = m.connection;
  return {
    text: `Connection ${c.id}: ${c.status}`,
    blocks: [
      header(`Connection ${c.id}`),
      fields([
        ['Status', `${icon(c.status)} ${c.status}`],
        ['In use here', m.inUse ? 'yes' : 'no'],
        ['Created', c.createdAt ?? 'unknown'],
        ['Last updated', c.updatedAt ?? 'unknown'],
      ]),
      ...(m.inUse || c.status !== 'ACTIVE' ? [] : [actions(undefined, [runButton('Use in this workspace', `connection use ${c.id}`)])]),
    ],
  };
}

export function connectStartedMessage(m: { connectionId: string; authorizeUrl: string }): Message {
  return {
    text: `Authorize PostHog to finish connection ${m.connectionId}`,
    blocks: [
      section(
        `New PostHog connection \`${m.connectionId}\` is waiting for authorization. Open the link, sign in to PostHog and approve access.`,
      ),
      actions(undefined, [button({ text: 'Authorize PostHog', actionId: CONNECT_LINK_ACTION, url: m.authorizeUrl, style: 'primary' })]),
      context(`Then run \`/ph connection use ${m.connectionId}\` to use it in this workspace.`),
    ],
  };
}

export function connectionChosenText(connectionId: string): string {
  return `This workspace now uses connection \`${connectionId}\`. Pick a project with \`/ph projects\`.`;
}

export function connectionChosenMessage(m: { connectionId: string }): Message {
  const text = connectionChosenText(m.connectionId);
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}

export function connectionDeletedMessage(m: { connectionId: string; wasInUse: boolean; usesDefault?: boolean }): Message {
  const fallback =
    m.usesDefault === false
      ? ' This workspace has no connection now: connect PostHog again with `/ph connection connect`.'
      : ' This workspace now uses the gateway’s default connection.';
  const text = `Connection \`${m.connectionId}\` was disconnected.${m.wasInUse ? fallback : ''}`;
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}
