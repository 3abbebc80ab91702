import { afterEach, describe, expect, it, vi } from 'vitest';

describe('business metrics', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('publishes non-zero counts as one CloudWatch EMF record', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    const { publishCounts } = await import('../../functions/adapters/metrics.js');
    publishCounts({ EventsAccepted: 98, EventsDuplicate: 0, EventsRejected: 2 });
    const record = JSON.parse(lines.find((line) => line.includes('_aws')) ?? '{}');
    expect(record._aws.CloudWatchMetrics[0].Namespace).toBe('Billing');
    expect(record.EventsAccepted).toBe(98);
    expect(record.EventsRejected).toBe(2);
    expect(record.EventsDuplicate).toBeUndefined();
  });
});
