// TODO(arch merge): the pipeline lives in src/plans/; this re-export only keeps commands/experiment.ts (owned by another
// branch) compiling until its import names '../src/plans/index.js'. Delete once nothing imports it.
export { proposePlan } from './plans/propose.js';
