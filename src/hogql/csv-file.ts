/**
 * A big result's CSV, encoded in the worker pool. The rows cross to the worker in slices: copying 50,000 rows to a
 * thread in one message is itself a long pause of the event loop (structured clone, ~30-60 ms on a quiet machine),
 * while a slice of 2,000 costs a couple of milliseconds, and the loop answers Slack between slices. Two slices are in
 * flight at a time, so both threads can work. The parts concatenate to exactly toCsv()'s bytes.
 */
import { sharedPool, type WorkerPool } from '../workers/pool.js';

const SLICE_ROWS = 2_000;
const IN_FLIGHT = 2;

export async function buildCsv(columns: string[], rows: unknown[][], pool: WorkerPool = sharedPool()): Promise<Buffer> {
  const slices = Math.max(1, Math.ceil(rows.length / SLICE_ROWS));
  const parts: Buffer[] = new Array(slices);
  let next = 0;
  const lane = async () => {
    while (next < slices) {
      const i = next++;
      const bytes = await pool.run('csv', { columns, rows: rows.slice(i * SLICE_ROWS, (i + 1) * SLICE_ROWS), head: i === 0 });
      parts[i] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, slices) }, lane));
  return Buffer.concat(parts);
}
