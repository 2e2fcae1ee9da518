/**
 * Multivariate splits as people type them (`control:50, test:50`; commas, semicolons or new lines between, `:`, `=` or a
 * space inside, an optional `%`): the one parser behind `/ph flag create --variants` and the experiment form. Each
 * caller words the problems its own way.
 */
export interface Split {
  key: string;
  percent: number;
}

export type SplitProblem =
  | { kind: 'malformed'; item: string }
  | { kind: 'too_few' }
  | { kind: 'duplicate'; key: string }
  | { kind: 'missing'; key: string }
  | { kind: 'sum'; total: number };

/** `required`: a key that must be among the splits (an experiment's `control`). */
export function parseSplits(text: string, opts: { required?: string } = {}): { splits: Split[] } | { problem: SplitProblem } {
  const items = text
    .split(/[,\n;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const splits: Split[] = [];
  for (const item of items) {
    const match = /^([A-Za-z0-9_-]+)\s*(?:[:=]|\s)\s*(\d{1,3})\s*%?$/.exec(item);
    if (!match) return { problem: { kind: 'malformed', item } };
    if (splits.some((s) => s.key === match[1])) return { problem: { kind: 'duplicate', key: match[1]! } };
    splits.push({ key: match[1]!, percent: Number(match[2]) });
  }
  if (splits.length < 2) return { problem: { kind: 'too_few' } };
  if (opts.required !== undefined && !splits.some((s) => s.key === opts.required))
    return { problem: { kind: 'missing', key: opts.required } };
  const total = splits.reduce((sum, s) => sum + s.percent, 0);
  if (total !== 100) return { problem: { kind: 'sum', total } };
  return { splits };
}
