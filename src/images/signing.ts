/**
 * Signed, expiring chart URLs: `{PUBLIC_URL}/images/{id}.png?exp={unix seconds}&sig={HMAC}`. The id is 128 random bits
 * (unguessable on its own); the HMAC binds it to its expiry so nobody can stretch a link's life by editing `exp`.
 * The key is derived from a secret every replica already shares, so any replica verifies what another signed.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config.js';

export const IMAGE_PATH_PREFIX = '/images/';
const ID = /^[a-f0-9]{32}$/;
const SIG = /^[A-Za-z0-9_-]{43}$/;

/**
 * A key for image URLs only: HMAC of a fixed label under the deployment's own secret (the Slack signing secret, else
 * another configured secret), so the secret itself never signs anything Slack users can see.
 */
export function imageKey(config: Pick<AppConfig, 'slack' | 'maton'>): Buffer | null {
  const secret = config.slack.signingSecret ?? config.slack.clientSecret ?? config.slack.appToken ?? config.maton.apiKey;
  if (!secret) return null;
  return createHmac('sha256', secret).update('hogbot/image-url/v1').digest();
}

export const newImageId = (): string => randomBytes(16).toString('hex');

const sign = (key: Buffer, id: string, exp: number) => createHmac('sha256', key).update(`${id}.${exp}`).digest('base64url');

export function signedImageUrl(publicUrl: string, key: Buffer, id: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${publicUrl}${IMAGE_PATH_PREFIX}${id}.png?exp=${exp}&sig=${sign(key, id, exp)}`;
}

export type UrlCheck = { ok: true; id: string } | { ok: false; status: 403 | 404 };

/** Checks a request path + query: 404 for a malformed or expired link, 403 for a signature that doesn't match. */
export function checkImageUrl(rawUrl: string, key: Buffer, now: Date): UrlCheck {
  const url = new URL(rawUrl, 'http://hogbot.invalid');
  const name = url.pathname.startsWith(IMAGE_PATH_PREFIX) ? url.pathname.slice(IMAGE_PATH_PREFIX.length) : '';
  const id = name.endsWith('.png') ? name.slice(0, -'.png'.length) : '';
  const exp = url.searchParams.get('exp') ?? '';
  const sig = url.searchParams.get('sig') ?? '';
  if (!ID.test(id) || !/^\d{1,12}$/.test(exp)) return { ok: false, status: 404 };
  if (!SIG.test(sig)) return { ok: false, status: 403 };
  const expected = Buffer.from(sign(key, id, Number(exp)));
  if (!timingSafeEqual(expected, Buffer.from(sig))) return { ok: false, status: 403 };
  if (Number(exp) * 1000 <= now.getTime()) return { ok: false, status: 404 };
  return { ok: true, id };
}
