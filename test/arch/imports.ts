/** The project's import graph, read from the source text: enough to check which room may import what. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Import {
  /** Project-relative path of the imported file (`src/plans/run.ts`), or the package name. */
  target: string;
  /** `import type` / `export type`, or every named specifier marked `type`. */
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?([\s\S]*?)\s*from\s*'([^']+)'/gm;
const SIDE_EFFECT = /^\s*import\s+'([^']+)'/gm;

export function listFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const rel = join(dir, name);
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const dir of dirs) walk(dir);
  return out.sort();
}

export function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Import[] = [];
  const toTarget = (spec: string) =>
    spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
  for (const m of text.matchAll(IMPORT)) {
    const clause = m[3] ?? '';
    const named = /\{([\s\S]*)\}/.exec(clause)?.[1];
    const specifiers = named
      ? named
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const defaultOrStar =
      clause
        .replace(/\{[\s\S]*\}/, '')
        .replace(/,/g, '')
        .trim() !== '';
    const typeOnly = m[2] !== undefined || (!defaultOrStar && specifiers.length > 0 && specifiers.every((s) => s.startsWith('type ')));
    out.push({ target: toTarget(m[4]!), typeOnly });
  }
  for (const m of text.matchAll(SIDE_EFFECT)) out.push({ target: toTarget(m[1]!), typeOnly: false });
  return out;
}

/** file -> the project files it imports values from (type-only imports erased, as the compiler does). */
export function valueGraph(files: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files)
    graph.set(
      file,
      new Set(
        importsOf(file)
          .filter((i) => !i.typeOnly && !i.target.startsWith('node:') && i.target.endsWith('.ts'))
          .map((i) => i.target),
      ),
    );
  return graph;
}
