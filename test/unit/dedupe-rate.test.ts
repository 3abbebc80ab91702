import { describe, expect, it } from 'vitest';
import { RATE_WINDOW, READ_FIRST_ABOVE, UnknownCopyRate, WARM_UP } from '../../functions/domain/metering/dedupe.js';

describe('the share of unknown copies (read before writing, or let the condition catch them)', () => {
  it('reads first while warming up, then not while unknown copies are rare', () => {
    const rate = new UnknownCopyRate();
    expect(rate.readFirst).toBe(true);
    for (let i = 0; i < WARM_UP / 100 - 1; i++) rate.observe(100, 0);
    expect(rate.readFirst).toBe(true);
    rate.observe(100, 0);
    expect(rate.readFirst).toBe(false);
    // One unknown copy in 10,000 events is below the threshold.
    for (let i = 0; i < 100; i++) rate.observe(100, 0);
    rate.observe(0, 1);
    expect(rate.readFirst).toBe(false);
  });

  it('reads first again once unknown copies are frequent, and stops when they have been rare for a window', () => {
    const rate = new UnknownCopyRate();
    for (let i = 0; i < 20; i++) rate.observe(100, 0);
    expect(rate.readFirst).toBe(false);
    // A client re-posting whole batches to this instance: 30 copies cancel transactions.
    rate.observe(50, 0);
    rate.observe(0, 30);
    expect(rate.readFirst).toBe(true);
    let events = 0;
    while (rate.readFirst && events < 10 * RATE_WINDOW) {
      rate.observe(100, 0);
      events += 100;
    }
    expect(rate.readFirst).toBe(false);
    // It takes on the order of a window of clean events to forget 30 copies in ~2,000 events.
    expect(events).toBeGreaterThan(RATE_WINDOW / 2);
    expect(events).toBeLessThan(5 * RATE_WINDOW);
    expect(READ_FIRST_ABOVE).toBeLessThan(0.01);
  });
});
