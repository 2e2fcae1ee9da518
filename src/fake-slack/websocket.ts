import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The server side of RFC 6455, just enough for Slack's Socket Mode clients (undici's WebSocket): text frames,
 * fragmentation, ping/pong and the close handshake. No extensions and no subprotocols, so the server answers the
 * handshake without `Sec-WebSocket-Extensions` and the client never compresses. Written here because `ws` is not
 * installed (the @slack/socket-mode in node_modules uses undici's client instead).
 */

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Frames above this are a protocol abuse for a test fake; the connection closes with 1009 (message too big). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long `close()` waits for the peer's close frame before dropping the TCP connection. */
const CLOSE_WAIT_MS = 2_000;

const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface WebSocketClosed {
  code: number;
  reason: string;
  /** Which side sent the first close frame; `none` when the TCP connection ended without one. */
  initiatedBy: 'client' | 'server' | 'none';
  /** Both sides sent a close frame before the TCP connection ended (a completed close handshake). */
  clean: boolean;
}

/** Answers an HTTP upgrade request with 101 and returns the connection, or answers 400 and returns undefined. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): FakeWebSocket | undefined {
  const key = req.headers['sec-websocket-key'];
  const isUpgrade = req.method === 'GET' && req.headers.upgrade?.toLowerCase() === 'websocket';
  if (!isUpgrade || typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13') {
    rejectUpgrade(socket, 400, 'Bad Request');
    return undefined;
  }
  const accept = createHash('sha1').update(`${key}${HANDSHAKE_GUID}`).digest('base64');
  socket.write(
    ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join(
      '\r\n',
    ),
  );
  const ws = new FakeWebSocket(socket);
  if (head.length > 0) ws.receive(head);
  return ws;
}

/** Ends an upgrade request with a plain HTTP error (what a client sees as a failed handshake). */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function frame(opcode: number, payload: Buffer): Buffer {
  // Server frames are never masked (RFC 6455 5.1).
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 0x10000
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(length));
  return out;
}

function closePayload(code: number, reason: string): Buffer {
  const out = Buffer.alloc(2 + Buffer.byteLength(reason));
  out.writeUInt16BE(code, 0);
  out.write(reason, 2);
  return out;
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Bytes the frame took in the buffer. */
  size: number;
}

/** Reads one complete frame from the front of `buf`; undefined while more bytes are needed. */
function readFrame(buf: Buffer): Frame | 'unmasked' | 'too_big' | undefined {
  if (buf.length < 2) return undefined;
  const b0 = buf[0] ?? 0;
  const b1 = buf[1] ?? 0;
  let length = b1 & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return undefined;
    const big = buf.readBigUInt64BE(2);
    if (big > BigInt(MAX_MESSAGE_BYTES)) return 'too_big';
    length = Number(big);
    offset = 10;
  }
  if (length > MAX_MESSAGE_BYTES) return 'too_big';
  // Clients must mask every frame (RFC 6455 5.3).
  if ((b1 & 0x80) === 0) return 'unmasked';
  if (buf.length < offset + 4 + length) return undefined;
  const mask = buf.subarray(offset, offset + 4);
  const payload = Buffer.from(buf.subarray(offset + 4, offset + 4 + length));
  for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload, size: offset + 4 + length };
}

/**
 * One accepted connection. Events: `text` (string), `ping` (Buffer, already answered with a pong), `closed`
 * (WebSocketClosed, once, when the TCP connection is gone).
 */
export class FakeWebSocket extends EventEmitter<{ text: [string]; ping: [Buffer]; closed: [WebSocketClosed] }> {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private closeSent = false;
  private closeReceived = false;
  private closeInfo: WebSocketClosed | undefined;
  private ended = false;

  constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.finish());
  }

  get open(): boolean {
    return !this.ended && !this.closeSent;
  }

  sendText(text: string): void {
    if (!this.open) throw new Error('fake Slack: the WebSocket is closing or closed');
    this.socket.write(frame(OP.text, Buffer.from(text, 'utf8')));
  }

  /** Starts the close handshake; the TCP connection ends when the peer answers (or after a short wait). */
  close(code = 1000, reason = ''): void {
    if (this.ended || this.closeSent) return;
    this.closeSent = true;
    this.closeInfo = { code, reason, initiatedBy: 'server', clean: false };
    this.socket.write(frame(OP.close, closePayload(code, reason)));
    setTimeout(() => this.socket.destroy(), CLOSE_WAIT_MS).unref();
  }

  /** Drops the TCP connection without a close frame (a crashed server, a network cut). */
  destroy(): void {
    this.socket.destroy();
  }

  /** Feeds raw bytes from the socket; exposed for the bytes that arrived with the upgrade request. */
  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const next = readFrame(this.buffer);
      if (next === undefined) return;
      if (next === 'unmasked') return this.failConnection(1002, 'client frames must be masked');
      if (next === 'too_big') return this.failConnection(1009, 'message too big');
      this.buffer = this.buffer.subarray(next.size);
      this.handle(next);
    }
  }

  private handle(f: Frame): void {
    switch (f.opcode) {
      case OP.ping:
        if (!this.ended) this.socket.write(frame(OP.pong, f.payload));
        this.emit('ping', f.payload);
        return;
      case OP.pong:
        return;
      case OP.close:
        return this.onCloseFrame(f.payload);
      case OP.text:
      case OP.binary:
        this.fragments = [f.payload];
        this.fragmentOpcode = f.opcode;
        break;
      case OP.continuation:
        this.fragments.push(f.payload);
        break;
      default:
        return this.failConnection(1002, `unknown opcode ${f.opcode}`);
    }
    if (!f.fin) return;
    const message = Buffer.concat(this.fragments);
    this.fragments = [];
    // Socket Mode speaks JSON text only; binary messages are ignored as Slack would.
    if (this.fragmentOpcode === OP.text && !this.closeSent) this.emit('text', message.toString('utf8'));
  }

  private onCloseFrame(payload: Buffer): void {
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
    this.closeReceived = true;
    if (!this.closeSent) {
      this.closeInfo = { code, reason, initiatedBy: 'client', clean: false };
      this.closeSent = true;
      // Echo the code back, then end: the server closes TCP first (RFC 6455 7.1.1).
      this.socket.write(frame(OP.close, payload.length >= 2 ? payload.subarray(0, 2) : Buffer.alloc(0)));
    }
    this.socket.end();
  }

  private failConnection(code: number, reason: string): void {
    this.close(code, reason);
    this.socket.end();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    const info = this.closeInfo ?? { code: 1006, reason: '', initiatedBy: 'none', clean: false };
    this.emit('closed', { ...info, clean: this.closeSent && this.closeReceived });
  }
}
