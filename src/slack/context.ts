import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Message, View } from '../../views/blocks.js';
import { describeRole } from '../access.js';
import type { AppConfig } from '../config.js';
import { CommandError } from '../errors.js';
import type { Gateway } from '../posthog/client.js';
import type { CommandContext } from '../registry/command.js';
import type { Registry } from '../registry/registry.js';
import type { Role, Store, WorkspaceSettings } from '../store/store.js';
import { connectionFor, type HomeTeam } from '../tenancy.js';
import { type ProfileOptions, slackProfiles } from './profile.js';
import { slackTeamNames } from './team-name.js';
import type { Replier } from './replier.js';

/** Long-lived services, built once by the composition root. */
export interface Services {
  config: AppConfig;
  store: Store;
  gateway: Gateway;
  registry: Registry;
  logger: Logger;
  now: () => Date;
  /** The single-workspace install's own team (src/tenancy.ts); absent or null: no workspace gets the default connection. */
  homeTeam?: HomeTeam;
}

/** Who is asking, from where: read from the Slack payload of a command, a click or a submission. */
export interface Caller {
  teamId: string;
  enterpriseId: string | null;
  userId: string;
  channelId: string | null;
  triggerId: string | null;
  responseUrl: string | null;
}

/** Per-request context. Lookups are memoised so a command that asks twice costs one call. */
export function buildContext(services: Services, caller: Caller, slack: WebClient, replier?: Replier): CommandContext {
  let workspace: Promise<WorkspaceSettings> | undefined;
  let role: Promise<Role> | undefined;
  let connection: Promise<string | null> | undefined;
  const profile = (options?: ProfileOptions) => slackProfiles.get(slack, caller.teamId, caller.userId, options);
  const loadWorkspace = () => {
    workspace ??= services.store
      .getWorkspace(caller.teamId)
      .then((saved) => saved ?? { teamId: caller.teamId, connectionId: null, projectId: null, updatedAt: new Date(0), updatedBy: null });
    return workspace;
  };
  return {
    ...caller,
    share: false,
    homeTeam: services.homeTeam,
    config: services.config,
    store: services.store,
    gateway: services.gateway,
    registry: services.registry,
    logger: services.logger,
    slack,
    now: services.now,
    workspace: loadWorkspace,
    workspaceName: () => slackTeamNames.get(slack, caller.teamId),
    // src/tenancy.ts decides which connection (if any) this workspace may use.
    posthog: async () => {
      connection ??= loadWorkspace().then((w) => connectionFor(services, w, caller));
      return services.gateway.posthog(await connection);
    },
    projectId: async () => (await loadWorkspace()).projectId ?? '@current',
    profile,
    role: (options?: ProfileOptions) => {
      if (!role || options?.fresh)
        role = describeRole(profile(options), caller.userId, { store: services.store, teamId: caller.teamId }).then((info) => info.role);
      return role;
    },
    openModal: async (view: View) => {
      if (!caller.triggerId)
        throw new CommandError('This form can only open from a slash command or a button. Type the command in a channel.');
      await slack.views.open({ trigger_id: caller.triggerId, view });
    },
    progress: async (message: Message) => {
      await replier?.progress(message);
    },
  };
}
