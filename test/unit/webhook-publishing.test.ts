import { describe, expect, it } from 'vitest';
import { createdEventIds } from '../../functions/adapters/dynamodb/event-announcer.js';
import { eventDetail } from '../../functions/adapters/eventbridge/event-bus.js';
import type { WebhookPayload } from '../../functions/domain/webhook-event.js';

describe('the events a write creates (fast hand-over)', () => {
  it('finds the event items of a transaction and of a single put, nothing else', () => {
    expect(
      createdEventIds({
        TransactItems: [
          { Put: { Item: { PK: { S: 'INVOICE#inv_1' } } } },
          { Put: { Item: { PK: { S: 'WHEVENT#evt_a' }, SK: { S: 'WHEVENT' } } } },
          { Put: { Item: { PK: { S: 'OUTBOX' }, SK: { S: 'webhook#evt_a' } } } },
          { Update: { Key: { PK: { S: 'WHEVENT#evt_x' } } } },
          { Put: { Item: { PK: { S: 'WHEVENT#evt_b' } } } },
        ],
      }),
    ).toEqual(['evt_a', 'evt_b']);
    expect(createdEventIds({ TableName: 't', Item: { PK: { S: 'WHEVENT#evt_c' } } })).toEqual(['evt_c']);
    // The sweep's and the fan-out's writes: an outbox entry, a delivery record.
    expect(createdEventIds({ Item: { PK: { S: 'OUTBOX' }, SK: { S: 'webhook#evt_c' } } })).toEqual([]);
    expect(createdEventIds({ Item: { PK: { S: 'WHDELIVERY#evt_c~we_1' } } })).toEqual([]);
    expect(createdEventIds(undefined)).toEqual([]);
  });
});

describe('the detail of a bus entry', () => {
  const payload = (data: unknown): WebhookPayload => ({
    id: 'evt_0123456789abcdef01234567',
    type: 'invoice.finalized',
    created_at: '2026-11-01T02:00:00.000Z',
    data,
  });

  it('is the webhook payload itself', () => {
    expect(JSON.parse(eventDetail(payload({ id: 'inv_1', total: '11.90' })))).toEqual(
      payload({ id: 'inv_1', total: '11.90' }),
    );
  });

  it('cuts data over the entry limit to the resource id, saying so', () => {
    const detail = eventDetail(payload({ id: 'inv_big', lines: 'x'.repeat(300 * 1024) }));
    expect(JSON.parse(detail)).toEqual({ ...payload({ id: 'inv_big' }), data_truncated: true });
    expect(Buffer.byteLength(detail)).toBeLessThan(1024);
  });
});
