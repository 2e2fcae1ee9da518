/**
 * `npm run emulator`: the emulator on a fixed port for the local sandbox, with the demo-sized dataset (DEMO_DATASET:
 * 30 days, 5k persons, 200k events) rather than the small one tests use.
 * Env: EMULATOR_PORT (default 4010; 0 picks a free port), EMULATOR_API_KEY, EMULATOR_RATE_LIMIT (requests/second,
 * 0 = off), EMULATOR_PUBLIC_URL (base of OAuth authorize links), EMULATOR_EVENTS / EMULATOR_PERSONS / EMULATOR_SEED.
 */
import { DEFAULT_API_KEY, DEMO_DATASET, startEmulator } from './server.js';

const env = process.env;
const num = (name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number`);
  return value;
};

const emulator = await startEmulator({
  port: num('EMULATOR_PORT') ?? 4010,
  ...(env.EMULATOR_API_KEY && { apiKey: env.EMULATOR_API_KEY }),
  ...(num('EMULATOR_RATE_LIMIT') !== undefined && { rateLimitPerSecond: num('EMULATOR_RATE_LIMIT') }),
  ...(env.EMULATOR_PUBLIC_URL && { publicUrl: env.EMULATOR_PUBLIC_URL }),
  dataset: {
    seed: num('EMULATOR_SEED') ?? DEMO_DATASET.seed,
    events: num('EMULATOR_EVENTS') ?? DEMO_DATASET.events,
    persons: num('EMULATOR_PERSONS') ?? DEMO_DATASET.persons,
  },
});

// Never print a custom key: it may be a real-looking secret someone pasted.
const keyHint = emulator.apiKey === DEFAULT_API_KEY ? `API key "${DEFAULT_API_KEY}"` : 'API key from EMULATOR_API_KEY';
console.log(`PostHog/Maton emulator listening on ${emulator.url} (${keyHint}; connections conn_acme, conn_globex)`);

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
