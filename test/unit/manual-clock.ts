import type { LimiterClock } from '../../src/limiter.js';

/**
 * A clock that moves only when told to. `sleep` advances it (so code that waits finishes at once, at the right
 * virtual time) and records how long each sleeper asked to wait.
 */
export class ManualClock implements LimiterClock {
  readonly slept: number[] = [];
  private ms: number;

  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
  }

  now(): number {
    return this.ms;
  }

  date(): Date {
    return new Date(this.ms);
  }

  set(to: Date | string): void {
    this.ms = new Date(to).getTime();
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.ms += ms;
  }
}
