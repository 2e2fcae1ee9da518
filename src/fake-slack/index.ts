/** The fake Slack: a local stand-in for Slack's Web API, response_urls, file uploads and Socket Mode, plus request builders. */
export { startFakeSlack, type FakeSlack } from './server.js';
export { signSlackRequest, type SlackSignatureHeaders } from './sign.js';
export { escapeCommandText, type EscapeChannel, type EscapeDirectory, type EscapeUser } from './escape.js';
export { sendToApp, type SendOptions, type SendResult } from './send.js';
export * from './payloads.js';
export * from './types.js';
export {
  DEFAULT_APP_ID,
  DEFAULT_BOT_ID,
  DEFAULT_BOT_TOKEN,
  DEFAULT_BOT_USER_ID,
  DEFAULT_TEAM,
  imChannelFor,
} from './directory.js';
export {
  DEFAULT_CHANNEL_ID,
  DEFAULT_USER_ID,
  RESPONSE_URL_MAX_USES,
  RESPONSE_URL_TTL_MS,
  type ResponseUrlContext,
} from './response-urls.js';
export { FakeSlackWaitTimeoutError, isCall, isResponse, describeEvent } from './recorder.js';
export {
  blockTextLength,
  checkMessage,
  checkView,
  DEFAULT_BLOCK_TEXT_LIMIT,
  MESSAGE_MAX_BLOCKS,
  VIEW_MAX_BLOCKS,
  type BlockKitProblem,
} from './block-kit.js';
export { TRIGGER_TTL_MS } from './methods/views.js';
export {
  FakeSocketModeError,
  SOCKET_TICKET_TTL_MS,
  type EnvelopeType,
  type FakeSocketMode,
  type RecordedAck,
  type RecordedEnvelope,
  type SendEnvelopeOptions,
  type SocketConnection,
  type SocketEnvelope,
} from './socket-mode.js';
export type { WebSocketClosed } from './websocket.js';
export { OAUTH_CODE_TTL_MS } from './methods/workspace.js';
