import { LogLevel, type Logger } from '@slack/bolt';
import { pino } from 'pino';
import { currentRequest } from './request-context.js';

export interface LogLine {
  level: LogLevel;
  name: string;
  message: string;
  /** The command, click or delivery this line belongs to (src/request-context.ts), when inside one. */
  requestId?: string;
  kind?: string;
  teamId?: string | null;
}

export type LogSink = (line: LogLine) => void;

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/** Slack, Maton and PostHog credential shapes, scrubbed even when they are not ours (a pasted token, say). */
const TOKEN_PATTERNS = [/xox[abposr]-[A-Za-z0-9-]{8,}/g, /xapp-[A-Za-z0-9-]{8,}/g, /(Bearer\s+)[^\s"']+/gi, /ph[xc]_[A-Za-z0-9]{16,}/g];

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, bearer?: string) =>
      typeof bearer === 'string' && /^Bearer/i.test(match) ? `${bearer}[redacted]` : '[redacted]',
    );
  }
  return out;
}

function stringify(part: unknown): string {
  if (part instanceof Error) return part.stack ?? `${part.name}: ${part.message}`;
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

/**
 * One JSON object per line on stdout (pino): `{"level":"info","time":"…","name":"hogbot","requestId":"…","msg":"…"}`.
 * The message is already scrubbed; pino only frames it, so no unredacted value reaches its serializers.
 */
export function jsonSink(destination: pino.DestinationStream = pino.destination(1)): LogSink {
  const out = pino(
    { level: 'debug', base: null, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    destination,
  );
  return ({ level, message, ...fields }) => out[level]({ ...fields }, message);
}

/**
 * A Bolt-compatible logger that scrubs every configured secret (and anything token-shaped) from every line, so a
 * stack trace or an upstream body that echoes a credential never reaches the log.
 */
export function createLogger(opts: { secrets: readonly string[]; level?: LogLevel; name?: string; sink?: LogSink }): Logger {
  let level = opts.level ?? LogLevel.INFO;
  let name = opts.name ?? 'hogbot';
  const sink = opts.sink ?? jsonSink();
  const emit = (at: LogLevel, parts: unknown[]) => {
    if (ORDER.indexOf(at) < ORDER.indexOf(level)) return;
    const scope = currentRequest();
    const request = scope ? { requestId: scope.requestId, kind: scope.kind, teamId: scope.teamId } : {};
    sink({ level: at, name, message: redact(parts.map(stringify).join(' '), opts.secrets), ...request });
  };
  return {
    debug: (...parts) => emit(LogLevel.DEBUG, parts),
    info: (...parts) => emit(LogLevel.INFO, parts),
    warn: (...parts) => emit(LogLevel.WARN, parts),
    error: (...parts) => emit(LogLevel.ERROR, parts),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}
