/** Keys remembered for a while so a retried Slack delivery (or a second replica) acts once. */
import type { Db } from './rows.js';

/** Expired once-keys are swept at most this often per process; between sweeps they are just ignored. */
const PURGE_EVERY_MS = 10 * 60_000;

export class OnceKeys {
  #lastPurgeMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: Db) {}

  async remember(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    const nowMs = now.getTime();
    // Insert, or take over a key whose memory has lapsed; a live key makes the upsert a no-op and returns no row.
    const row = await this.db
      .insertInto('once_keys')
      .values({ key, expires_at: expiresAt.getTime() })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('once_keys.expires_at', '<=', nowMs),
      )
      .returning('key')
      .executeTakeFirst();
    await this.#purge(nowMs);
    return row !== undefined;
  }

  async #purge(nowMs: number): Promise<void> {
    if (nowMs - this.#lastPurgeMs < PURGE_EVERY_MS) return;
    this.#lastPurgeMs = nowMs;
    await this.db.deleteFrom('once_keys').where('expires_at', '<=', nowMs).execute();
  }
}
