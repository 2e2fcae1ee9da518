import type { FakeChannelInput, FakeUserInput } from '../fake-slack/index.js';

/**
 * Who lives in the sandbox's two Slack workspaces. Roles come from Slack itself (the bot asks users.info), so an
 * "admin" here is a Slack workspace admin or owner, exactly as in a real workspace.
 */
export interface SandboxUser {
  id: string;
  name: string;
  realName: string;
  email: string;
  tz: string;
  /** What the switcher shows: the Slack role the bot will see. */
  role: 'owner' | 'admin' | 'member';
}

export interface SandboxWorkspace {
  id: string;
  name: string;
  domain: string;
  channel: { id: string; name: string; purpose: string };
  users: SandboxUser[];
}

export const WORKSPACES: readonly SandboxWorkspace[] = [
  {
    id: 'T0000000001',
    name: 'Acme',
    domain: 'acme',
    channel: { id: 'C0ACMEGRW01', name: 'growth', purpose: 'Where the growth team talks numbers' },
    users: [
      { id: 'U0ADMIN0001', name: 'ana', realName: 'Ana Admin', email: 'ana@acme.com', tz: 'America/Los_Angeles', role: 'admin' },
      { id: 'U0MEMBER001', name: 'max', realName: 'Max Member', email: 'max@acme.com', tz: 'Europe/Berlin', role: 'member' },
    ],
  },
  {
    id: 'T0000000002',
    name: 'Globex',
    domain: 'globex',
    channel: { id: 'C0GLOBEX001', name: 'analytics', purpose: 'Globex dashboards, flags and experiments' },
    users: [
      { id: 'U0ADMIN0002', name: 'gus', realName: 'Gus Globex', email: 'gus@globex.com', tz: 'UTC', role: 'owner' },
      { id: 'U0MEMBER002', name: 'gina', realName: 'Gina Globex', email: 'gina@globex.com', tz: 'Asia/Tokyo', role: 'member' },
    ],
  },
];

export function findWorkspace(teamId: string): SandboxWorkspace | undefined {
  return WORKSPACES.find((w) => w.id === teamId);
}

/** The user, when they belong to that workspace: the page may only act as someone who exists there. */
export function findMember(teamId: string, userId: string): { workspace: SandboxWorkspace; user: SandboxUser } | undefined {
  const workspace = findWorkspace(teamId);
  const user = workspace?.users.find((u) => u.id === userId);
  return workspace && user ? { workspace, user } : undefined;
}

/** The people and channels as the fake Slack's directory holds them (users.info, conversations.info). */
export function fakeDirectory(): { users: FakeUserInput[]; channels: FakeChannelInput[] } {
  return {
    users: WORKSPACES.flatMap((w) =>
      w.users.map((u) => ({
        id: u.id,
        teamId: w.id,
        name: u.name,
        realName: u.realName,
        email: u.email,
        tz: u.tz,
        isAdmin: u.role !== 'member',
        isOwner: u.role === 'owner',
      })),
    ),
    channels: WORKSPACES.map((w) => ({ id: w.channel.id, name: w.channel.name, teamId: w.id, isMember: true })),
  };
}
