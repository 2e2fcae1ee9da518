/**
 * The house rules of docs/architecture.md, checked on the source text: what each room may import. The rules have no
 * exceptions: a view that needs a value from src/ gets it in its model.
 */
import { describe, expect, it } from 'vitest';
import { importsOf, listFiles, valueGraph } from '../arch/imports.js';

const files = listFiles(['src', 'commands', 'views']);
const graph = valueGraph(files);
const inRoom = (room: string) => files.filter((f) => f.startsWith(room));

describe('architecture: what may import what (docs/architecture.md)', () => {
  it('views import only types from src/ (models are built in src/ and handed in)', () => {
    const offending = inRoom('views/').flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target.startsWith('src/') && !i.typeOnly)
        .map((i) => `${file} -> ${i.target}`),
    );
    expect(offending).toEqual([]);
  });

  it('views import nothing from commands/', () => {
    expect(
      inRoom('views/').flatMap((f) =>
        importsOf(f)
          .filter((i) => i.target.startsWith('commands/'))
          .map((i) => `${f} -> ${i.target}`),
      ),
    ).toEqual([]);
  });

  it('no command imports Bolt (the Slack edge is src/slack/)', () => {
    expect(
      inRoom('commands/').flatMap((f) =>
        importsOf(f)
          .filter((i) => i.target.startsWith('@slack/bolt'))
          .map(() => f),
      ),
    ).toEqual([]);
  });

  it('src/ never imports commands/ (the registry loads them by directory)', () => {
    expect(
      inRoom('src/').flatMap((f) =>
        importsOf(f)
          .filter((i) => i.target.startsWith('commands/'))
          .map((i) => `${f} -> ${i.target}`),
      ),
    ).toEqual([]);
  });

  it('the bot never imports the emulator or the fake Slack (only the sandbox wires them together)', () => {
    const bot = files.filter((f) => f.startsWith('src/') && !/^src\/(emulator|fake-slack|sandbox)\//.test(f) && f !== 'src/main.ts');
    const offending = bot.flatMap((f) =>
      importsOf(f)
        .filter((i) => /^src\/(emulator|fake-slack)\//.test(i.target))
        .map((i) => `${f} -> ${i.target}`),
    );
    expect(offending).toEqual([]);
  });

  it('the plan pipeline imports forward only: each step may use the ones before it, never a later one', () => {
    const order = ['record', 'pinned-target', 'audit', 'run', 'propose', 'load', 'approvals', 'confirm'].map((s) => `src/plans/${s}.ts`);
    expect(inRoom('src/plans/').sort()).toEqual([...order].sort());
    const backwards = order.flatMap((file, i) =>
      [...(graph.get(file) ?? [])].filter((t) => order.indexOf(t) > i).map((t) => `${file} -> ${t}`),
    );
    expect(backwards).toEqual([]);
    // And the pipeline does not reach back into the Slack edge, the dispatcher or the command families.
    const edge = order.flatMap((f) =>
      [...(graph.get(f) ?? [])]
        .filter((t) => /^(src\/slack\/|src\/dispatch\.ts|commands\/|src\/flags\/)/.test(t))
        .map((t) => `${f} -> ${t}`),
    );
    expect(edge).toEqual([]);
  });
});
