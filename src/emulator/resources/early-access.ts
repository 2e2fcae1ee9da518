/**
 * Early access features, only as far as flags need them: a feature is linked to a flag, and PostHog refuses to delete a
 * flag in use with one (posthog/api/feature_flag.py `update()`: "Cannot delete a feature flag that is in use with early
 * access features..."). `/api/projects/{id}/early_access_feature/` (products/early_access_features/backend/api.py): list
 * and create `{name, description?, stage?, feature_flag_id}`.
 */
import { isoTime, json } from '../http.js';
import type { ProjectData } from '../model.js';
import type { ApiRoutes } from './context.js';
import { bodyObject, live } from './context.js';
import { paginate } from './pagination.js';
import { invalid, optionalString, requiredString } from './validate.js';

interface EarlyAccessFeature {
  id: string;
  name: string;
  description: string;
  stage: string;
  feature_flag_id: number;
  created_at: string;
}

// Keyed by the project's data: a reset replaces it, so the features go with the seed.
const features = new WeakMap<ProjectData, EarlyAccessFeature[]>();
let counter = 0;

function of(data: ProjectData): EarlyAccessFeature[] {
  let list = features.get(data);
  if (!list) {
    list = [];
    features.set(data, list);
  }
  return list;
}

/** The early access features that use a flag. */
export function earlyAccessFeaturesOf(data: ProjectData, flagId: number): EarlyAccessFeature[] {
  return (features.get(data) ?? []).filter((f) => f.feature_flag_id === flagId);
}

export function registerEarlyAccess(routes: ApiRoutes): void {
  routes
    .project('GET', '/early_access_feature', (ctx) => json(200, paginate(ctx, of(ctx.data))))
    .project('POST', '/early_access_feature', (ctx) => {
      const body = bodyObject(ctx);
      const name = requiredString(body, 'name');
      const flagId = body.feature_flag_id;
      if (typeof flagId !== 'number' || !live(ctx.data.feature_flags).some((f) => f.id === flagId))
        invalid('feature_flag_id', 'Invalid pk - object does not exist.', 'does_not_exist');
      counter += 1;
      const feature: EarlyAccessFeature = {
        id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
        name,
        description: optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '',
        stage: optionalString(body, 'stage') ?? 'beta',
        feature_flag_id: flagId as number,
        created_at: isoTime(ctx.now),
      };
      of(ctx.data).push(feature);
      return json(201, feature);
    });
}
