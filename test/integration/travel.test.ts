/**
 * Issue 13: `/ph flag off` and `/ph dashboard rename` each travel through at most 12 files, and no file on the way imports
 * one that came before it (a later step never reaches back into an earlier one). The files are read from the call stacks
 * of every effect (test/arch/travel.ts), plus the command's own declaration in commands/ (called through the registry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { listFiles, valueGraph } from '../arch/imports.js';
import { type Travel, traceEffects } from '../arch/travel.js';
import { buttonValue, Rig, textOf } from '../rig/harness.js';

let rig: Rig;
let travel: Travel;

beforeAll(async () => {
  rig = await Rig.start();
  travel = traceEffects(rig.hogbot.services);
});
afterAll(async () => {
  await rig?.close();
});

const graph = valueGraph(listFiles(['src', 'commands', 'views']));

/**
 * "Imported back into": a step that, through its imports, reaches a step that imports it: an import cycle among the
 * path's files. Without one, the path's files stand in an order where each imports only the ones after it (returned).
 */
function layered(path: string[]): { order: string[]; cycles: string[] } {
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    for (const next of graph.get(from) ?? []) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        if (reaches(next, to, seen)) return true;
      }
    }
    return false;
  };
  const cycles = path.flatMap((a) => path.filter((b) => a < b && reaches(a, b) && reaches(b, a)).map((b) => `${a} <-> ${b}`));
  // Importers first: take, in call order, a file that no remaining file reaches.
  const order: string[] = [];
  const left = [...path];
  while (left.length > 0) {
    const next = left.find((f) => !left.some((g) => g !== f && reaches(g, f))) ?? left[0]!;
    order.push(next);
    left.splice(left.indexOf(next), 1);
  }
  return { order, cycles };
}

async function travelOf(command: string, declaredIn: string): Promise<string[]> {
  travel.start();
  const plan = await rig.ask(command);
  expect(textOf(plan)).toContain('Confirm');
  const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
  const files = travel.stop();
  expect(textOf(done)).not.toContain('Nothing was changed');
  // The declaration is reached through the registry, right after the dispatcher.
  if (files.includes(declaredIn)) return files;
  const at = files.indexOf('src/dispatch.ts') + 1;
  return [...files.slice(0, at), declaredIn, ...files.slice(at)];
}

describe('how a write travels', () => {
  it('/ph flag off: at most 12 files, none imported back into', async () => {
    const path = await travelOf('flag off dark-mode', 'commands/flag.ts');
    const { order, cycles } = layered(path);
    console.log(
      `/ph flag off travels through ${path.length} files (in call order):\n  ${path.join('\n  ')}\nimport layers: ${order.join(' > ')}`,
    );
    expect(path).toContain('src/plans/confirm.ts');
    expect(path.length).toBeLessThanOrEqual(12);
    expect(cycles).toEqual([]);
  });

  it('/ph dashboard rename: at most 12 files, none imported back into', async () => {
    const path = await travelOf('dashboard rename Marketing "Marketing & brand"', 'commands/dashboard.ts');
    const { order, cycles } = layered(path);
    console.log(
      `/ph dashboard rename travels through ${path.length} files (in call order):\n  ${path.join('\n  ')}\nimport layers: ${order.join(' > ')}`,
    );
    expect(path).toContain('src/plans/confirm.ts');
    expect(path.length).toBeLessThanOrEqual(12);
    expect(cycles).toEqual([]);
  });
});
