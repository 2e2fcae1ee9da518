import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

/** A port nobody listens on right now (bound on 127.0.0.1, then released for the child to take). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<{ line: string; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`No line matching ${pattern} within ${timeoutMs} ms. Output:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve({ line, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Exited with ${code} before the ready line. Output:\n${output}`));
    });
  });
}

let child: ChildProcess | undefined;
afterEach(() => {
  // The whole process group, should the test fail before Ctrl-C.
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Whether any process of the group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start with an empty environment', () => {
  it('prints one line with the page URL, serves the page, and exits 0 on Ctrl-C', async () => {
    const port = await freePort();
    const started = performance.now();
    // `npm start` is `tsx src/main.ts`; here the same loader runs in one process (`node --import tsx`), with nothing in the
    // environment but PATH, HOME and the port. Not through npx or the tsx CLI: npm reports an interrupted child as its own
    // death by SIGINT, and the tsx CLI SIGKILLs its child (exit 130) when the child takes over ~60 ms to acknowledge a
    // signal, which a busy machine can exceed. Detached, so Ctrl-C goes to the process group as a terminal sends it.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const { line, output } = await waitForLine(child, /http:\/\/localhost:\d+\//, 30_000);
    const readyMs = Math.round(performance.now() - started);
    const url = /http:\/\/localhost:\d+\//.exec(line)![0];
    expect(url).toBe(`http://localhost:${port}/`);
    expect(output.trim().split('\n')).toEqual([line]);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Hogbot sandbox');
    const boot = (await (await fetch(`${url}api/bootstrap`)).json()) as { commands: Array<{ name: string }> };
    expect(boot.commands.map((c) => c.name)).toContain('help');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    // tsx's esbuild service leaves when its parent does; under load that can take a moment.
    await expect.poll(() => groupAlive(child!.pid!), { timeout: 10_000 }).toBe(false);
    console.info(`[sandbox] the sandbox was ready in ${readyMs} ms after spawn (TypeScript loading included)`);
  }, 60_000);
});
