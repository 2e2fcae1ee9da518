/** Bot scopes the features use; manifest.yml declares the same list (a test keeps them equal). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'files:write',
  'users:read',
  'users:read.email',
  'channels:read',
  'groups:read',
  'im:write',
  'links:read',
  'links:write',
  // team.info: plans name the workspace (src/slack/team-name.ts).
  'team:read',
] as const;
