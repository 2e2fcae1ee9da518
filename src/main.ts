import { LogLevel } from '@slack/bolt';
import { createHogbot } from './app.js';
import { type AppConfig, ConfigError, loadConfig } from './config.js';
import { warmSyntax } from './hogql/syntax.js';
import { createLogger, redact } from './logger.js';
import { openStore } from './store/open.js';

const LEVELS: Record<AppConfig['logLevel'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/** `npm start`: the real bot when Slack credentials are set, the local sandbox when none are. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.mode === 'sandbox') {
    const { startSandbox } = await import('./sandbox/start.js');
    const sandbox = await startSandbox({ env: process.env });
    onShutdown(() => sandbox.stop());
    return;
  }

  const logger = createLogger({ secrets: config.secrets, level: LEVELS[config.logLevel] });
  const store = await openStore(config.databaseUrl, { logger });
  const hogbot = await createHogbot({ config, store, logger });
  const { port } = await hogbot.start();
  // The worker pool starts with the parser loaded, so the first /ph query does not wait for it (tests start lazily).
  warmSyntax();
  logger.info(`Hogbot is running in ${config.mode} mode${config.mode === 'socket' ? '' : ` on http://localhost:${port}/slack/events`}`);
  onShutdown(async () => {
    await hogbot.stop();
    await store.close();
  });
}

/** SIGTERM (orchestrators) and SIGINT (Ctrl-C): stop taking requests, let in-flight work finish, close the store. */
function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      (error) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

/** Startup failures (a refused token, a port in use, an unreachable database) end with their message, not a stack. */
await main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Hogbot could not start: ${redact(message, secretsOf(process.env))}`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) console.error(redact(error.stack ?? '', secretsOf(process.env)));
  process.exit(1);
});

function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const names = [
    'SLACK_SIGNING_SECRET',
    'SLACK_BOT_TOKEN',
    'SLACK_APP_TOKEN',
    'SLACK_CLIENT_SECRET',
    'SLACK_STATE_SECRET',
    'MATON_API_KEY',
  ];
  return names.map((n) => env[n]).filter((v): v is string => Boolean(v));
}
