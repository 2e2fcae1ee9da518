import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLine, redact } from '../../src/logger.js';

describe('logger', () => {
  it('scrubs configured secrets and token-shaped strings from every part, errors included', () => {
    const lines: LogLine[] = [];
    const logger = createLogger({ secrets: ['maton-key-123456'], sink: (l) => lines.push(l) });
    logger.error('failed with', new Error('bad key maton-key-123456'), {
      token: 'xoxb-1234-5678-abcdefgh',
      auth: 'Bearer maton-key-123456',
    });
    const text = lines.map((l) => l.message).join('\n');
    expect(text).not.toContain('maton-key-123456');
    expect(text).not.toContain('xoxb-1234-5678-abcdefgh');
    expect(text).toContain('[redacted]');
    expect(text).toContain('failed with');
  });

  it('respects the level', () => {
    const lines: LogLine[] = [];
    const logger = createLogger({ secrets: [], level: LogLevel.WARN, sink: (l) => lines.push(l) });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => l.message)).toEqual(['loud']);
  });

  it('redact keeps the word Bearer so logs stay readable', () => {
    expect(redact('Authorization: Bearer abc.def', [])).toBe('Authorization: Bearer [redacted]');
  });
});

describe('JSON logs (pino) with a request id', () => {
  it('writes one JSON object per line, scrubbed, carrying the request id, kind and workspace of the work it is in', async () => {
    const { jsonSink } = await import('../../src/logger.js');
    const { withRequest } = await import('../../src/request-context.js');
    const written: string[] = [];
    const logger = createLogger({ secrets: ['maton-key-123456'], sink: jsonSink({ write: (chunk: string) => written.push(chunk) }) });
    withRequest({ kind: 'command', teamId: 'T1', userId: 'U1', requestId: 'abc123def456' }, () => {
      logger.warn('upstream said', new Error('bad key maton-key-123456'), { token: 'xoxb-1234-5678-abcdefgh' });
    });
    logger.info('outside any request');
    expect(written).toHaveLength(2);
    const inside = JSON.parse(written[0]!);
    expect(inside).toMatchObject({ level: 'warn', name: 'hogbot', requestId: 'abc123def456', kind: 'command', teamId: 'T1' });
    expect(inside.msg).toContain('upstream said');
    expect(inside.msg).toContain('[redacted]');
    expect(written.join('')).not.toContain('maton-key-123456');
    expect(written.join('')).not.toContain('xoxb-1234567890');
    expect(typeof inside.time).toBe('string');
    const outside = JSON.parse(written[1]!);
    expect(outside.requestId).toBeUndefined();
    expect(outside.msg).toBe('outside any request');
  });
});
