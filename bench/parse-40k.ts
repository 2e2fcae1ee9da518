/**
 * Issue 11 item 7: `/ph` text of 40 KB of short words stalled the registry's parser for ~2.8 s (quadratic prefix
 * joining, `<` scanning and edit distance over the whole input). Parses a few such inputs with the real registry and
 * prints the time each took. `npx tsx bench/parse-40k.ts`
 */
import { cpus } from 'node:os';
import { loadRegistry } from '../src/registry/load.js';
import { parseInvocation } from '../src/registry/parse.js';

const KB = 1024;
const inputs: Record<string, string> = {
  'known command + 40 KB of words': `persons ${'ab '.repeat((40 * KB) / 3)}`,
  'unknown words, 40 KB': 'zz '.repeat((40 * KB) / 3),
  '40 KB of "<a "': '<a '.repeat((40 * KB) / 3),
  'one 40 KB word': 'x'.repeat(40 * KB),
  'known command + 400 KB of words': `persons ${'ab '.repeat((400 * KB) / 3)}`,
};

const registry = await loadRegistry();
console.log(`${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, node ${process.version}`);
for (const [label, text] of Object.entries(inputs)) {
  parseInvocation(registry, text);
  const start = performance.now();
  const parsed = parseInvocation(registry, text);
  console.log(`${label.padEnd(34)} ${(performance.now() - start).toFixed(1).padStart(8)} ms  (${parsed.kind})`);
}
