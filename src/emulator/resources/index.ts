/** Every PostHog resource family the emulator serves, registered on one route table. */
import { registerAccount } from './account.js';
import { registerActions } from './actions.js';
import { registerAnnotations } from './annotations.js';
import { registerCohorts } from './cohorts.js';
import { ApiRoutes } from './context.js';
import { registerDashboards } from './dashboards.js';
import { registerDefinitions } from './definitions.js';
import { registerEarlyAccess } from './early-access.js';
import { registerExperiments } from './experiments.js';
import { registerFlags } from './flags.js';
import { registerMembers } from './members.js';
import { registerPersons } from './persons.js';
import { registerQuery } from './query.js';
import { registerRecordings } from './recordings.js';
import { registerSurveys } from './surveys.js';

export function buildApiRoutes(): ApiRoutes {
  const routes = new ApiRoutes();
  registerAccount(routes);
  registerFlags(routes);
  registerPersons(routes);
  registerRecordings(routes);
  registerDashboards(routes);
  registerCohorts(routes);
  registerActions(routes);
  registerAnnotations(routes);
  registerSurveys(routes);
  registerExperiments(routes);
  registerDefinitions(routes);
  registerQuery(routes);
  registerEarlyAccess(routes);
  registerMembers(routes);
  return routes;
}
