/** Experiment exposure: which flag variant a person sees in a session, and how that moves their purchase odds. */
import type { DemoExperimentExposure } from '../dataset-types.js';
import { hashUnit } from '../prng.js';

export interface Exposure {
  spec: DemoExperimentExposure;
  startMs: number;
  endMs: number;
}

/** What a session sees of the running experiments. `variants[i]` is undefined when the person is outside the rollout. */
export interface SessionExposure {
  active: Exposure[];
  variants: (string | undefined)[];
  /** Multiplier on the purchase probability: the product of `1 + lift` over non-baseline variants. */
  liftFactor: number;
  /** `$feature/<key>` properties carried by every event of the session. */
  flags: (readonly [string, string])[];
  /** The experiments this person is in (a variant, not left out by a partial rollout), in order. */
  exposed: Array<{ flagKey: string; variant: string }>;
}

export function toExposures(specs: DemoExperimentExposure[] | undefined): Exposure[] {
  return (specs ?? []).map((spec) => ({
    spec,
    startMs: spec.start.getTime(),
    endMs: spec.end ? spec.end.getTime() : Number.POSITIVE_INFINITY,
  }));
}

export function sessionExposure(exposures: Exposure[], startMs: number, personId: string): SessionExposure {
  const active = exposures.filter((x) => startMs >= x.startMs && startMs <= x.endMs);
  const variants = active.map((x) => variantFor(x.spec, personId));
  const liftFactor = variants.reduce((f, v, i) => {
    const spec = (active[i] as Exposure).spec;
    return v !== undefined && v !== spec.variants[0]?.key ? f * (1 + (spec.lift ?? 0)) : f;
  }, 1);
  const exposed = active.flatMap((x, i) =>
    variants[i] === undefined ? [] : [{ flagKey: x.spec.flagKey, variant: variants[i] as string }],
  );
  const flags = exposed.map((x) => [`$feature/${x.flagKey}`, x.variant] as const);
  return { active, variants, liftFactor, flags, exposed };
}

/** Stable bucketing on flag key and person id, so a person keeps their variant across sessions. */
function variantFor(spec: DemoExperimentExposure, personId: string): string | undefined {
  const bucket = hashUnit(`${spec.flagKey}.${personId}`) * 100;
  let acc = 0;
  for (const v of spec.variants) {
    acc += v.rolloutPercentage;
    if (bucket < acc) return v.key;
  }
  return undefined;
}
