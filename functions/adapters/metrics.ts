import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

let instance: Metrics | undefined;

/**
 * Business metrics as CloudWatch EMF through Powertools (namespace "Billing"). Built on first use, so
 * POWERTOOLS_METRICS_DISABLED=true set by the local runtime before that keeps them off stdout.
 */
function metrics(): Metrics {
  instance ??= new Metrics({ namespace: 'Billing', serviceName: 'billing' });
  return instance;
}

/** Records counts and publishes them at once, so requests that record nothing emit nothing. */
export function publishCounts(counts: Record<string, number>): void {
  const target = metrics();
  for (const [name, value] of Object.entries(counts)) if (value > 0) target.addMetric(name, MetricUnit.Count, value);
  target.publishStoredMetrics();
}
