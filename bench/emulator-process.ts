/** `npm run emulator`'s entry point as its own process on an ephemeral port, for benches that measure the bot alone. */
import { type ChildProcess, spawn } from 'node:child_process';

/** Resolves once the emulator says where it listens. `rateLimitPerSecond` 0 turns Maton's limit off. */
export async function startEmulatorProcess(opts: {
  apiKey: string;
  rateLimitPerSecond: number;
}): Promise<{ url: string; child: ChildProcess }> {
  const entry = new URL('../src/emulator/main.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_API_KEY: opts.apiKey, EMULATOR_RATE_LIMIT: String(opts.rateLimitPerSecond) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
  });
  return { url, child };
}
