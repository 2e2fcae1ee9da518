import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/**
 * Signs a request body the way Slack does: `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`).
 * The body must be the exact bytes that will be sent.
 */
export function signSlackRequest(signingSecret: string, rawBody: string | Buffer, timestampSeconds: number): SlackSignatureHeaders {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestampSeconds}:`);
  hmac.update(rawBody);
  return {
    'x-slack-signature': `v0=${hmac.digest('hex')}`,
    'x-slack-request-timestamp': String(timestampSeconds),
  };
}
