/**
 * The shape of a session's event sequence: which slots hold the special events (flag checks, identify, sign-up,
 * purchase, page leave); the rest are filled as the session plays out.
 */
import type { Rng } from '../prng.js';

export const Kind = {
  Fill: 0,
  Pageview: 1,
  Autocapture: 2,
  InsightViewed: 3,
  Identify: 4,
  SignedUp: 5,
  Purchase: 6,
  FlagCalled: 7,
  Pageleave: 8,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface SessionLayout {
  kinds: Kind[];
  /** Event indexes of the `$feature_flag_called` events, in order. */
  flagSlots: number[];
  /** Event index of the `$identify`, or -1. */
  identifyIdx: number;
}

/** Lays out the special events; draws the purchase chance from `rng` only when the person can buy. */
export function layoutSession(
  rng: Rng,
  size: number,
  variants: readonly (string | undefined)[],
  identifiesNow: boolean,
  canBuy: boolean,
  liftFactor: number,
): SessionLayout {
  const kinds: Kind[] = new Array<Kind>(size).fill(Kind.Fill);
  kinds[0] = Kind.Pageview;
  let cursor = 1;
  const flagSlots: number[] = [];
  for (let i = 0; i < variants.length && cursor < size; i++) {
    if (variants[i] === undefined) continue;
    flagSlots.push(cursor);
    kinds[cursor++] = Kind.FlagCalled;
  }
  let identifyIdx = -1;
  if (identifiesNow) {
    identifyIdx = size >= 3 ? Math.min(size - 2, Math.max(cursor, Math.floor(size / 2))) : Math.max(0, size - 2);
    kinds[identifyIdx] = Kind.Identify;
    if (identifyIdx + 1 < size) kinds[identifyIdx + 1] = Kind.SignedUp;
  }
  if (canBuy && rng.chance(0.07 * liftFactor)) {
    for (let j = size - 2; j > Math.max(0, identifyIdx + 1); j--) {
      if (kinds[j] === Kind.Fill) {
        kinds[j] = Kind.Purchase;
        break;
      }
    }
  }
  if (size >= 3 && kinds[size - 1] === Kind.Fill) kinds[size - 1] = Kind.Pageleave;
  return { kinds, flagSlots, identifyIdx };
}

/** What an unreserved slot becomes; logged-in users also look at insights. */
export function fillKind(rng: Rng, loggedIn: boolean): Kind {
  const u = rng.next();
  if (loggedIn) return u < 0.36 ? Kind.Pageview : u < 0.82 ? Kind.Autocapture : Kind.InsightViewed;
  return u < 0.45 ? Kind.Pageview : Kind.Autocapture;
}
