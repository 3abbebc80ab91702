import { describe, expect, it } from 'vitest';
import { toPlanVersion } from '../../../functions/app/plans.js';
import { CreatePlanSchema } from '../../../functions/schemas/plans.js';

const plan = { key: 'pro', name: 'Pro', currency: 'EUR', interval: 'month' };

/** The issues of an invalid plan as "path: message" strings. */
function issuesOf(input: unknown): string[] {
  const result = CreatePlanSchema.safeParse(input);
  if (result.success) throw new Error('expected the plan to be rejected');
  return result.error.issues.map((issue) => `${issue.path.join('/')}: ${issue.message}`);
}

describe('plan settings for late usage', () => {
  it('reads a plan stored before the settings existed as adjust, without a grace', () => {
    const version = toPlanVersion({ ...plan, version: 1, created_at: '2026-01-01T00:00:00Z' });
    expect(version.lateUsage).toBe('adjust');
    expect('invoiceGraceHours' in version).toBe(false);
  });

  it.each([
    [{ late_usage: 'reject', invoice_grace_hours: 720 }, 'reject', 720],
    [{ late_usage: 'adjust', invoice_grace_hours: 0 }, 'adjust', 0],
    [{ invoice_grace_hours: 24 }, 'adjust', 24],
  ])('takes %j', (settings, lateUsage, invoiceGraceHours) => {
    const version = toPlanVersion({ ...plan, ...settings, version: 1, created_at: '2026-01-01T00:00:00Z' });
    expect(version).toMatchObject({ lateUsage, invoiceGraceHours });
  });

  it.each([
    [{ late_usage: 'later' }, 'late_usage: must be adjust or reject'],
    [{ late_usage: 'REJECT' }, 'late_usage: must be adjust or reject'],
    [{ invoice_grace_hours: 721 }, 'invoice_grace_hours: must be at most 720 (30 days)'],
    [{ invoice_grace_hours: -1 }, 'invoice_grace_hours: must be at least 0'],
    [{ invoice_grace_hours: 0.5 }, 'invoice_grace_hours: must be a whole number of hours'],
    [{ invoice_grace_hours: '1' }, 'invoice_grace_hours: must be a whole number of hours'],
  ])('refuses %j, naming the field', (settings, issue) => {
    expect(issuesOf({ ...plan, ...settings })).toEqual([issue]);
  });
});
