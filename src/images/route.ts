/**
 * Serves chart PNGs at signed URLs (src/images/signing.ts) from Hogbot's own HTTP server, as a Bolt HTTPReceiver
 * custom route, so image blocks can show charts where a Slack file can't be used (unfurls, ephemeral answers).
 * Any replica answers: the bytes are in the shared store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import type { Store } from '../store/store.js';
import { checkImageUrl, IMAGE_PATH_PREFIX } from './signing.js';

export interface ImageRouteDeps {
  store: Store;
  key: Buffer | null;
  now: () => Date;
  logger: Logger;
}

function refuse(res: ServerResponse, status: 403 | 404 | 500): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(status === 403 ? 'Forbidden' : status === 404 ? 'Not found' : 'Error');
}

export async function serveImage(deps: ImageRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!deps.key) return refuse(res, 404);
  const now = deps.now();
  const check = checkImageUrl(req.url ?? '/', deps.key, now);
  if (!check.ok) return refuse(res, check.status);
  try {
    const image = await deps.store.images.get(check.id, now);
    if (!image) return refuse(res, 404);
    const maxAge = Math.max(0, Math.floor((image.expiresAt.getTime() - now.getTime()) / 1000));
    res.writeHead(200, {
      'content-type': image.contentType,
      'content-length': String(image.bytes.length),
      'cache-control': `private, max-age=${maxAge}`,
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : image.bytes);
  } catch (error) {
    deps.logger.error('images: could not read an image from the store', error);
    refuse(res, 500);
  }
}

export const isImagePath = (url: string | undefined): boolean => (url ?? '').startsWith(IMAGE_PATH_PREFIX);

export function imageRoute(deps: ImageRouteDeps): CustomRoute {
  return {
    path: `${IMAGE_PATH_PREFIX}:file`,
    method: ['GET', 'HEAD'],
    handler: (req, res) => {
      void serveImage(deps, req, res);
    },
  };
}
