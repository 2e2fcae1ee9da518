import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLine, redact } from '../../src/logger.js';

describe('logger', () => {
  it('scrubs configured secrets and token-shaped strings from every part, errors included', () => {
    const lines: LogLine[] = [];
    const logger = createLogger({ secrets: ['maton-key-123456'], sink: (l) => lines.push(l) });
    logger.error('failed with', new Error('bad key maton-key-123456'), { token: 'xoxb-1234-5678-abcdefgh', auth: 'Bearer maton-key-123456' });
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
