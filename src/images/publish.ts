/**
 * Puts a chart PNG where an image block can point at it: the store, behind a signed URL on PUBLIC_URL. Null when no
 * PUBLIC_URL is configured (or no secret to sign with): callers then share the file into the conversation instead.
 */
import type { AppConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { imageKey, newImageId, signedImageUrl } from './signing.js';

/** Slack fetches (and caches) the image when it renders the message; a week covers late readers of a digest or unfurl. */
export const IMAGE_TTL_MS = 7 * 24 * 60 * 60_000;

export interface PublishDeps {
  config: Pick<AppConfig, 'publicUrl' | 'slack' | 'maton'>;
  store: Store;
  teamId: string;
  now(): Date;
}

export const canPublishImages = (config: PublishDeps['config']): boolean => config.publicUrl !== null && imageKey(config) !== null;

export async function publishImage(deps: PublishDeps, png: Buffer): Promise<string | null> {
  const key = imageKey(deps.config);
  if (!deps.config.publicUrl || !key) return null;
  const createdAt = deps.now();
  const expiresAt = new Date(createdAt.getTime() + IMAGE_TTL_MS);
  const id = newImageId();
  await deps.store.images.put({ id, teamId: deps.teamId, contentType: 'image/png', bytes: png, createdAt, expiresAt });
  return signedImageUrl(deps.config.publicUrl, key, id, expiresAt);
}
