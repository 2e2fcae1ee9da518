import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FakeState } from './state.js';
import { acceptWebSocket, type FakeWebSocket, rejectUpgrade, type WebSocketClosed } from './websocket.js';

/**
 * Slack's Socket Mode, server side: `apps.connections.open` mints a one-time WebSocket URL, the connection opens with
 * `hello`, each request arrives as an envelope the app acks with `{envelope_id, payload?}`, and `disconnect` asks the
 * app to reconnect. Envelopes and acks are recorded here rather than in `fake.calls`: they are not Web API calls.
 */

export const SOCKET_MODE_PATH = '/socket-mode/';
/** Slack's WebSocket URLs are good for one connection, within 30 seconds. */
export const SOCKET_TICKET_TTL_MS = 30_000;
const DEFAULT_ACK_WAIT_MS = 5_000;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What Slack writes on the socket for one request. */
export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  /** events_api only: Slack's redelivery count and why. */
  retry_attempt?: number;
  retry_reason?: string;
}

export interface RecordedEnvelope {
  connectionId: string;
  envelope: SocketEnvelope;
  at: Date;
}

/** The app's acknowledgement of one envelope. */
export interface RecordedAck {
  envelope_id: string;
  /** What the app answered with (`ack(body)`); Bolt sends `{}` for a bare `ack()`. */
  payload?: unknown;
  connectionId: string;
  at: Date;
}

export interface SocketConnection {
  id: string;
  appId: string;
  openedAt: Date;
  /** Client pings answered with a pong. */
  pings: number;
  /** Set once the TCP connection is gone. */
  closed?: WebSocketClosed & { at: Date };
}

export interface SendEnvelopeOptions {
  /** Default: the newest open connection. */
  connectionId?: string;
  envelopeId?: string;
  /** Default: true for slash commands, view submissions and options requests (what Slack lets the ack answer). */
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack. Default 5000 ms. */
  timeoutMs?: number;
}

export interface WaitOptionsMs {
  timeoutMs?: number;
}

/** No connection to send on, no ack in time, or the connection closed before the ack. */
export class FakeSocketModeError extends Error {
  override readonly name = 'FakeSocketModeError';
}

/** The part of the hub tests use, as `fake.socketMode`. */
export interface FakeSocketMode {
  readonly connections: readonly SocketConnection[];
  readonly envelopes: readonly RecordedEnvelope[];
  readonly acks: readonly RecordedAck[];
  /** Lets `apps.connections.open` accept this app-level token (`xapp-...`). */
  addAppToken(token: string): void;
  /** Delivers one envelope and resolves with the app's ack. */
  send(type: EnvelopeType, payload: Record<string, unknown>, opts?: SendEnvelopeOptions): Promise<RecordedAck>;
  /** Asks the client to reconnect, as Slack does before recycling a server (`warning`, `refresh_requested`, ...). */
  disconnect(opts?: { reason?: string; connectionId?: string }): void;
  /** Resolves with an open connection (after `hello`): one already open, else the next one. */
  waitForConnection(opts?: WaitOptionsMs): Promise<SocketConnection>;
  /** Resolves when the connection (default: the newest) has closed. */
  waitForClose(connectionId?: string, opts?: WaitOptionsMs): Promise<SocketConnection>;
}

interface Live {
  info: SocketConnection;
  ws: FakeWebSocket;
}

interface Pending {
  connectionId: string;
  resolve: (ack: RecordedAck) => void;
  reject: (error: Error) => void;
}

const ACK_BODY_TYPES = new Set(['view_submission', 'block_suggestion', 'dialog_suggestion']);

function defaultAcceptsPayload(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === 'slash_commands') return true;
  return type === 'interactive' && typeof payload.type === 'string' && ACK_BODY_TYPES.has(payload.type);
}

export class SocketModeHub implements FakeSocketMode {
  readonly connections: SocketConnection[] = [];
  readonly envelopes: RecordedEnvelope[] = [];
  readonly acks: RecordedAck[] = [];
  private readonly appTokens = new Set<string>();
  private readonly tickets = new Map<string, { issuedAt: number; appId: string }>();
  private readonly live = new Map<string, Live>();
  private readonly pending = new Map<string, Pending>();
  private readonly emitter = new EventEmitter();
  private seq = 0;

  constructor(private readonly state: FakeState) {
    this.emitter.setMaxListeners(0);
  }

  addAppToken(token: string): void {
    this.appTokens.add(token);
  }

  isAppToken(token: string): boolean {
    return this.appTokens.has(token);
  }

  /** The URL `apps.connections.open` answers: one connection, soon. */
  mintUrl(): string {
    const ticket = this.next('ticket');
    this.tickets.set(ticket, { issuedAt: this.state.now().getTime(), appId: this.state.directory.appId });
    return `${this.state.baseUrl.replace(/^http/, 'ws')}${SOCKET_MODE_PATH}${ticket}`;
  }

  /** The server's `upgrade` handler for `/socket-mode/<ticket>`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ticketId: string): void {
    const ticket = this.tickets.get(ticketId);
    this.tickets.delete(ticketId);
    if (!ticket || this.state.now().getTime() - ticket.issuedAt > SOCKET_TICKET_TTL_MS) {
      rejectUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    const ws = acceptWebSocket(req, socket, head);
    if (!ws) return;
    const info: SocketConnection = { id: this.next('conn'), appId: ticket.appId, openedAt: this.state.now(), pings: 0 };
    this.connections.push(info);
    this.live.set(info.id, { info, ws });
    ws.on('text', (text) => this.onText(info, text));
    ws.on('ping', () => {
      info.pings += 1;
    });
    ws.on('closed', (closed) => this.onClosed(info, closed));
    ws.sendText(
      JSON.stringify({
        type: 'hello',
        num_connections: this.live.size,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: info.appId },
      }),
    );
    this.emitter.emit('change');
  }

  send(type: EnvelopeType, payload: Record<string, unknown>, opts: SendEnvelopeOptions = {}): Promise<RecordedAck> {
    const target = opts.connectionId === undefined ? this.newestLive() : this.live.get(opts.connectionId);
    if (!target || !target.ws.open) {
      return Promise.reject(new FakeSocketModeError('fake Slack: no open Socket Mode connection to send the envelope on'));
    }
    const envelope: SocketEnvelope = {
      envelope_id: opts.envelopeId ?? this.next('env'),
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? defaultAcceptsPayload(type, payload),
      ...(type === 'events_api' ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' } : {}),
    };
    const timeoutMs = opts.timeoutMs ?? DEFAULT_ACK_WAIT_MS;
    const acked = new Promise<RecordedAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(new FakeSocketModeError(`fake Slack: envelope ${envelope.envelope_id} (${type}) was not acked within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle =
        <A extends unknown[]>(fn: (...args: A) => void) =>
        (...args: A) => {
          clearTimeout(timer);
          this.pending.delete(envelope.envelope_id);
          fn(...args);
        };
      this.pending.set(envelope.envelope_id, { connectionId: target.info.id, resolve: settle(resolve), reject: settle(reject) });
    });
    this.envelopes.push({ connectionId: target.info.id, envelope, at: this.state.now() });
    target.ws.sendText(JSON.stringify(envelope));
    return acked;
  }

  disconnect(opts: { reason?: string; connectionId?: string } = {}): void {
    const target = opts.connectionId === undefined ? this.newestLive() : this.live.get(opts.connectionId);
    if (!target?.ws.open) throw new FakeSocketModeError('fake Slack: no open Socket Mode connection to disconnect');
    target.ws.sendText(
      JSON.stringify({ type: 'disconnect', reason: opts.reason ?? 'refresh_requested', debug_info: { host: 'applink-fake-1' } }),
    );
  }

  waitForConnection(opts: WaitOptionsMs = {}): Promise<SocketConnection> {
    return this.waitUntil(() => this.newestLive()?.info, 'an open Socket Mode connection', opts);
  }

  waitForClose(connectionId?: string, opts: WaitOptionsMs = {}): Promise<SocketConnection> {
    const find = () => (connectionId === undefined ? this.connections.at(-1) : this.connections.find((c) => c.id === connectionId));
    return this.waitUntil(
      () => {
        const c = find();
        return c?.closed ? c : undefined;
      },
      `Socket Mode connection ${connectionId ?? '(newest)'} to close`,
      opts,
    );
  }

  /** Forgets envelopes, acks and unused URLs; keeps app tokens and live connections. */
  reset(): void {
    this.envelopes.length = 0;
    this.acks.length = 0;
    this.tickets.clear();
    this.connections.splice(0, this.connections.length, ...[...this.live.values()].map((l) => l.info));
  }

  /** Closes every connection as a server going away (1001); resolves once each TCP connection has ended. */
  async closeAll(): Promise<void> {
    const closing = [...this.live.values()].map(
      ({ ws }) =>
        new Promise<void>((resolve) => {
          ws.once('closed', () => resolve());
          ws.close(1001, 'server shutting down');
        }),
    );
    await Promise.all(closing);
  }

  private onText(info: SocketConnection, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || !('envelope_id' in message) || typeof message.envelope_id !== 'string') return;
    const ack: RecordedAck = {
      envelope_id: message.envelope_id,
      ...('payload' in message && message.payload !== undefined ? { payload: message.payload } : {}),
      connectionId: info.id,
      at: this.state.now(),
    };
    this.acks.push(ack);
    this.pending.get(ack.envelope_id)?.resolve(ack);
    this.emitter.emit('change');
  }

  private onClosed(info: SocketConnection, closed: WebSocketClosed): void {
    info.closed = { ...closed, at: this.state.now() };
    this.live.delete(info.id);
    for (const [id, p] of this.pending) {
      if (p.connectionId === info.id)
        p.reject(new FakeSocketModeError(`fake Slack: the connection closed before envelope ${id} was acked`));
    }
    this.emitter.emit('change');
  }

  private newestLive(): Live | undefined {
    return [...this.live.values()].filter((l) => l.ws.open).at(-1);
  }

  private next(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.seq}`;
  }

  private waitUntil<T>(check: () => T | undefined, what: string, opts: WaitOptionsMs): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_ACK_WAIT_MS;
    return new Promise((resolve, reject) => {
      const onChange = () => {
        const found = check();
        if (found === undefined) return;
        clearTimeout(timer);
        this.emitter.off('change', onChange);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.emitter.off('change', onChange);
        reject(new FakeSocketModeError(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.emitter.on('change', onChange);
    });
  }
}
