/** Links into the PostHog app. `appUrl` is POSTHOG_APP_URL (us/eu cloud or self-hosted). */
export function projectUrl(appUrl: string, projectId: number | string, path = ''): string {
  return `${appUrl}/project/${encodeURIComponent(String(projectId))}${path}`;
}
