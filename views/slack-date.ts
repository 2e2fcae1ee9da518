/**
 * A date Slack renders in each reader's own timezone (`<!date^…>`), with the ISO text as the fallback for clients
 * that can't. `undefined`/unparseable dates read as "never".
 */
export function slackDate(iso: string | null | undefined, style: 'date' | 'datetime' = 'date'): string {
  if (!iso) return 'never';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'never';
  const token = style === 'date' ? '{date_short_pretty}' : '{date_short_pretty} {time}';
  return `<!date^${Math.floor(ms / 1000)}^${token}|${new Date(ms)
    .toISOString()
    .slice(0, style === 'date' ? 10 : 16)
    .replace('T', ' ')} UTC>`;
}
