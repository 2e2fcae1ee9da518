/** PostHog's relative dates (`-7d`, `-24h`, `-2w`, `-1m`, `-1y`, `all`) and plain ISO dates, as filters accept them. */

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Undefined when absent or unreadable (the filter is then ignored); null for `all` (no bound). */
export function parseRelativeDate(raw: string | null | undefined, now: Date): Date | null | undefined {
  if (raw == null || raw.trim() === '') return undefined;
  const value = raw.trim();
  if (value === 'all') return null;
  const match = value.match(/^-?(\d+)([hdwmyq])$/i);
  if (match) {
    const amount = Number(match[1]);
    const unit = (match[2] ?? 'd').toLowerCase();
    const ms = UNIT_MS[unit];
    if (ms !== undefined) return new Date(now.getTime() - amount * ms);
    const date = new Date(now);
    const months = unit === 'y' ? amount * 12 : unit === 'q' ? amount * 3 : amount;
    date.setUTCMonth(date.getUTCMonth() - months);
    return date;
  }
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
