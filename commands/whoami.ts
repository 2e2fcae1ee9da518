import { z } from 'zod';
import { whoamiMessage } from '../views/whoami.js';
import { path } from '../src/posthog/path.js';
import { organizationSchema, projectSchema, userSchema } from '../src/posthog/schemas.js';
import { defineCommand } from '../src/registry/command.js';

export default defineCommand({
  name: 'whoami',
  summary: 'The PostHog user, organization, connection and project this workspace uses',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => {
    const [posthog, workspace, projectId] = await Promise.all([ctx.posthog(), ctx.workspace(), ctx.projectId()]);
    const [user, organization, project, role] = await Promise.all([
      posthog.request('GET', '/api/users/@me/', userSchema),
      posthog.request('GET', '/api/organizations/@current/', organizationSchema),
      posthog.request('GET', path`/api/projects/${projectId}/`, projectSchema),
      // Asked afresh: someone checking who they are may have just been made a Slack admin.
      ctx.role({ fresh: true }),
    ]);
    const fullName = [user.first_name, (user as { last_name?: string | null }).last_name].filter(Boolean).join(' ');
    return whoamiMessage({
      user: { name: fullName || user.email, email: user.email },
      organization: { name: organization.name },
      connection: { id: workspace.connectionId },
      project: { id: project.id, name: project.name, timezone: project.timezone ?? null, chosen: workspace.projectId !== null },
      slackRole: role,
      appUrl: ctx.config.posthogAppUrl,
    });
  },
});
