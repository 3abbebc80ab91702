import { loadConfig } from '../config.js';
import { closeSteps, lambdaStep } from './close-steps.js';
import { withDelivery } from './delivery-deps.js';
import { buildDeps } from './deps.js';

/** Lambda entry: the close workflow's closeSubscription task. */
export const handler = lambdaStep(closeSteps(withDelivery(buildDeps(loadConfig()))).closeSubscription, 'billing-close');
