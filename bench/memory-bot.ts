/**
 * The bot alone in its own process, for the memory benchmark (bench/memory.ts): the real app from env, its Maton
 * budget roomy (the emulator has no limit here, and pacing would only stretch the run), answering on PORT.
 * Prints `port <n>` when ready; `/metrics` reports its resident memory.
 */
import { createHogbot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLimits } from '../src/limiter.js';
import { createLogger } from '../src/logger.js';
import { openStore } from '../src/store/open.js';

const config = loadConfig(process.env);
const logger = createLogger({ secrets: config.secrets, sink: () => undefined });
const store = await openStore(config.databaseUrl, { logger });
const bot = await createHogbot({ config, store, logger, limits: createLimits({ matonPerSecond: 10_000 }), scheduler: { enabled: false } });
const { port } = await bot.start();
console.log(`port ${port}`);
process.on('SIGTERM', () => {
  void bot
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
