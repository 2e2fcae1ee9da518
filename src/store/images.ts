/**
 * Chart images served from Hogbot's own HTTP server (src/images/route.ts), kept in the database with an expiry so any
 * replica can answer the URL Slack fetches, whichever one rendered the chart. Bytes are stored as base64 text: the
 * same column type on SQLite and Postgres, and charts are tens of kilobytes.
 */
import type { ColumnType, Kysely } from 'kysely';

export interface ImagesTable {
  id: string;
  team_id: string;
  content_type: string;
  /** Base64 of the image bytes. */
  data: string;
  created_at: ColumnType<number | string, number, number>;
  expires_at: ColumnType<number | string, number, number>;
}

export interface ImageTables {
  images: ImagesTable;
}

export interface StoredImage {
  id: string;
  teamId: string;
  contentType: string;
  bytes: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

export interface ImageStore {
  put(image: StoredImage): Promise<void>;
  /** The image while it is unexpired at `now`; null when unknown or expired. */
  get(id: string, now: Date): Promise<StoredImage | null>;
  /** Deletes images expired at `now`; returns how many went. */
  purgeExpired(now: Date): Promise<number>;
}

/** Expired images are swept at most this often per process, from put(); between sweeps get() just ignores them. */
const PURGE_EVERY_MS = 10 * 60_000;

export class KyselyImageStore implements ImageStore {
  #lastPurgeMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: Kysely<ImageTables>) {}

  async put(image: StoredImage): Promise<void> {
    await this.db
      .insertInto('images')
      .values({
        id: image.id,
        team_id: image.teamId,
        content_type: image.contentType,
        data: image.bytes.toString('base64'),
        created_at: image.createdAt.getTime(),
        expires_at: image.expiresAt.getTime(),
      })
      .execute();
    const nowMs = image.createdAt.getTime();
    if (nowMs - this.#lastPurgeMs >= PURGE_EVERY_MS) {
      this.#lastPurgeMs = nowMs;
      await this.purgeExpired(image.createdAt);
    }
  }

  async get(id: string, now: Date): Promise<StoredImage | null> {
    const row = await this.db
      .selectFrom('images')
      .selectAll()
      .where('id', '=', id)
      .where('expires_at', '>', now.getTime())
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      teamId: row.team_id,
      contentType: row.content_type,
      bytes: Buffer.from(row.data, 'base64'),
      createdAt: new Date(Number(row.created_at)),
      expiresAt: new Date(Number(row.expires_at)),
    };
  }

  async purgeExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('images').where('expires_at', '<=', now.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
