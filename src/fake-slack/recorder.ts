import { EventEmitter } from 'node:events';
import type { FakeSlackChange, FakeSlackEvent, RecordedCall, RecordedResponse, WaitOptions } from './types.js';

export const DEFAULT_WAIT_MS = 5000;

/** Thrown by `waitFor` when nothing matched in time; the message lists what was recorded. */
export class FakeSlackWaitTimeoutError extends Error {
  override readonly name = 'FakeSlackWaitTimeoutError' as const;
  constructor(
    message: string,
    readonly recorded: readonly FakeSlackEvent[],
  ) {
    super(message);
  }
}

export const isCall = (e: FakeSlackEvent): e is RecordedCall => e.kind === 'call';
export const isResponse = (e: FakeSlackEvent): e is RecordedResponse => e.kind === 'response';

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One line per event, for failure messages; never includes tokens. */
export function describeEvent(e: FakeSlackEvent): string {
  const status = e.ok ? 'ok' : `error=${e.error ?? '?'}`;
  const payload = isCall(e) ? e.args : e.body;
  const parts: string[] = [];
  for (const key of ['channel', 'user', 'ts', 'trigger_id', 'response_type', 'replace_original', 'delete_original']) {
    const v = payload[key];
    if (typeof v === 'string' || typeof v === 'boolean') parts.push(`${key}=${String(v)}`);
  }
  if (Array.isArray(payload.blocks)) parts.push(`blocks=${payload.blocks.length}`);
  if (typeof payload.text === 'string') parts.push(`text=${JSON.stringify(clip(payload.text))}`);
  const head = isCall(e) ? `call ${e.method}` : `response ${e.id} (use ${e.use})`;
  return `${head} ${status}${parts.length ? ` ${parts.join(' ')}` : ''}`;
}

/** Holds what the fake received and lets tests wait for it; the sandbox subscribes to the same stream. */
export class Recorder {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  private readonly events: FakeSlackEvent[] = [];
  private readonly emitter = new EventEmitter();

  constructor() {
    // Tests and the sandbox may subscribe many times; the default cap of 10 would only warn.
    this.emitter.setMaxListeners(0);
  }

  record(event: FakeSlackEvent): void {
    if (isCall(event)) this.calls.push(event);
    else this.responses.push(event);
    this.events.push(event);
    this.emitter.emit('event', event);
  }

  changed(change: FakeSlackChange): void {
    this.emitter.emit('change', change);
  }

  on(name: 'event', listener: (e: FakeSlackEvent) => void): () => void;
  on(name: 'change', listener: (c: FakeSlackChange) => void): () => void;
  on(name: 'event' | 'change', listener: ((e: FakeSlackEvent) => void) | ((c: FakeSlackChange) => void)): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  all(): readonly FakeSlackEvent[] {
    return this.events;
  }

  waitFor<E extends FakeSlackEvent>(predicate: (e: FakeSlackEvent) => e is E, opts?: WaitOptions): Promise<E>;
  waitFor(predicate: (e: FakeSlackEvent) => boolean, opts?: WaitOptions): Promise<FakeSlackEvent>;
  waitFor(predicate: (e: FakeSlackEvent) => boolean, opts: WaitOptions = {}): Promise<FakeSlackEvent> {
    const already = this.events.find(predicate);
    if (already) return Promise.resolve(already);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const stop = this.on('event', (e) => {
        if (!predicate(e)) return;
        clearTimeout(timer);
        stop();
        resolve(e);
      });
      const timer = setTimeout(() => {
        stop();
        const lines = this.events.map((e, i) => `  ${i + 1}. ${describeEvent(e)}`);
        const listing = lines.length ? lines.join('\n') : '  (nothing)';
        reject(
          new FakeSlackWaitTimeoutError(
            `fake Slack: no recorded event matched within ${timeoutMs} ms. Recorded (${lines.length}):\n${listing}`,
            [...this.events],
          ),
        );
      }, timeoutMs);
    });
  }

  clear(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.events.length = 0;
  }
}
