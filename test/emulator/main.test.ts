/** `npm run emulator` as a process: what the sandbox and a human at a terminal rely on. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Runs src/emulator/main.ts as `npm run emulator` does (without npm, whose shell would swallow our SIGTERM). */
function launch(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_EVENTS: '500', EMULATOR_PERSONS: '20', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', () => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    void exited.then(({ code }) => reject(new Error(`exited with ${code} before its ready line: ${stderr}`)));
  });
  return { proc, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('npm run emulator', () => {
  it('prints its ready line, answers with its key, and exits 0 on SIGTERM', async () => {
    const key = 'custom-key-from-env-123';
    const run = launch({ EMULATOR_API_KEY: key });
    const url = await run.ready;
    expect(run.output().stdout).toContain('connections conn_acme, conn_globex');
    // The key the user chose is never echoed.
    expect(run.output().stdout).not.toContain(key);

    const projects = await fetch(`${url}/posthog/api/projects/`, { headers: { Authorization: `Bearer ${key}` } });
    expect(projects.status).toBe(200);
    const body = (await projects.json()) as { results: { id: number }[] };
    expect(body.results.map((p) => p.id)).toEqual(expect.arrayContaining([1001, 1002]));
    expect((await fetch(`${url}/posthog/api/projects/`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);

    run.proc.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('refuses a malformed number in its environment', async () => {
    const run = launch({ EMULATOR_EVENTS: 'lots' });
    await expect(run.ready).rejects.toThrow(/EMULATOR_EVENTS must be a number/);
    expect((await run.exited).code).not.toBe(0);
  }, 30_000);
});
