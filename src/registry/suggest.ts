/** Optimal string alignment distance: Levenshtein plus adjacent swaps, the commonest typo ("falg"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Longer input is no typo of a command name: suggestion looks at this much at most. */
export const MAX_SUGGEST_INPUT = 64;

/** The closest candidates to `input`, best first; prefixes count as close ("conn" -> "connection"). */
export function closestMatches(input: string, candidates: readonly string[], max = 3): string[] {
  // Capped, and candidates too far apart in length skipped (the distance is at least the difference): edit distance is
  // quadratic in the lengths, and the input is whatever the user pasted (issue 11: 40 KB took seconds).
  const needle = input.slice(0, MAX_SUGGEST_INPUT).toLowerCase();
  const scored = candidates
    .map((candidate) => {
      const c = candidate.toLowerCase();
      const limit = Math.max(1, Math.floor(candidate.length / 3));
      if (Math.abs(c.length - needle.length) > limit && !(c.startsWith(needle) && needle.length >= 2))
        return { candidate, distance: Infinity };
      const distance = c.startsWith(needle) && needle.length >= 2 ? 0.5 : editDistance(needle, c);
      return { candidate, distance };
    })
    .filter(({ candidate, distance }) => distance <= Math.max(1, Math.floor(candidate.length / 3)) || distance === 0.5)
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  return [...new Set(scored.map((s) => s.candidate))].slice(0, max);
}
