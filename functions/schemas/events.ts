import * as z from 'zod';
import type { UsageEvent } from '../domain/metering/ingest.js';
import { holdsLoneSurrogate } from '../domain/text.js';
import { InstantStringSchema, lineText } from './common.js';
import { issuesToDetails } from './issues.js';
import { stringifyJson } from './json.js';

/** Most bytes of one event as JSON text (stored raw; a transaction carries up to 4 MB). */
export const MAX_EVENT_BYTES = 32 * 1024;

/** Deepest nesting of objects and arrays inside `data`. */
export const MAX_DATA_DEPTH = 32;

const text = (max: number) => lineText(max);

/** How deep `value` nests objects and arrays, counting only up to `limit + 1`. */
function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    deepest = Math.max(deepest, depthOf(item, limit - 1));
    if (deepest > limit) break;
  }
  return deepest + 1;
}

export const CloudEventSchema = z
  .object({
    specversion: z.literal('1.0', { message: 'must be "1.0"' }),
    id: text(256),
    source: text(512),
    type: text(256),
    subject: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/, 'must be a customer id (letters, digits and . _ : @ + -)'),
    time: z.iso
      .datetime({ offset: true, message: 'must be an RFC 3339 timestamp such as "2026-11-02T08:00:00Z"' })
      .optional(),
    datacontenttype: z.string().optional(),
    dataschema: z.string().optional(),
    data: z
      .record(z.string(), z.unknown())
      .refine((data) => depthOf(data, MAX_DATA_DEPTH) <= MAX_DATA_DEPTH, {
        message: `must not nest objects and arrays more than ${MAX_DATA_DEPTH} levels deep`,
      })
      .optional(),
  })
  .catchall(z.unknown())
  .meta({
    id: 'CloudEvent',
    description: 'CloudEvents 1.0 structured JSON; subject is the customer id, data holds the properties meters read',
  });

export const CloudEventBatchSchema = z.array(CloudEventSchema).max(1000).meta({ id: 'CloudEventBatch' });

/** What happened to one event of a request, in the order sent. */
export const EventOutcomeSchema = z
  .strictObject({
    index: z.int().meta({ description: 'Position of the event in the request (0 for a single event)' }),
    id: z.string().optional().meta({ description: "The event's id, when it has one" }),
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    code: z.string().optional().meta({
      description:
        'Rejected events: invalid_event, unknown_customer, no_matching_meter, invalid_value, timestamp_in_future, timestamp_too_old, period_closed, usage_limit_exceeded, customer_suspended or internal',
    }),
    message: z.string().optional().meta({ description: 'Rejected events: why' }),
  })
  .meta({ id: 'EventOutcome' });

/** POST /v1/events: the counts, and every event's outcome. */
export const IngestResultSchema = z
  .strictObject({
    accepted: z.int(),
    duplicates: z.int().meta({ description: 'Events seen before (same source and id): counted once' }),
    rejected: z.int(),
    results: z.array(EventOutcomeSchema),
  })
  .meta({ id: 'IngestResult' });

export type EnvelopeResult = { ok: true; event: UsageEvent } | { ok: false; id: string | undefined; message: string };

/** Validates one CloudEvent; `receivedAt` is its time when it has none. */
export function parseCloudEvent(raw: unknown, index: number, receivedAt: Date): EnvelopeResult {
  const id =
    raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
      ? (raw as { id: string }).id
      : undefined;
  const result = CloudEventSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const message = issuesToDetails(result.error.issues)
      .map((d) => `${d.path.slice(1) || 'event'}: ${d.message}`)
      .join('; ');
    return { ok: false, id, message };
  }
  const rawText = stringifyJson(raw);
  if (Buffer.byteLength(rawText, 'utf8') > MAX_EVENT_BYTES) {
    return { ok: false, id, message: `the event has more than ${MAX_EVENT_BYTES} bytes` };
  }
  // Strings anywhere in the event (also inside data) must be Unicode: a lone surrogate cannot be stored.
  if (holdsLoneSurrogate(raw))
    return { ok: false, id, message: 'the event must be well-formed Unicode (it holds a lone surrogate)' };
  const event = result.data;
  return {
    ok: true,
    event: {
      index,
      id: event.id,
      source: event.source,
      type: event.type,
      subject: event.subject,
      time: event.time ? new Date(event.time) : receivedAt,
      data: event.data ?? {},
      raw: rawText,
    },
  };
}

/** One accepted event, by its CloudEvents identity. */
const EventRefSchema = z.strictObject({ source: text(512), id: text(256) }).meta({ id: 'EventRef' });

/**
 * POST /v1/events/cancel: one event (`{source, id}`) or a batch (`{events: [{source, id}, ...]}`, at
 * most 100). Output: the events, and whether the request named a single one.
 */
export const CancelEventsSchema = z
  .strictObject({
    source: text(512).optional(),
    id: text(256).optional(),
    events: z
      .array(EventRefSchema)
      .min(1, 'must hold at least one event')
      .max(100, 'must hold at most 100 events')
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.events !== undefined) {
      for (const field of ['source', 'id'] as const)
        if (body[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'must not be sent with events: send {source, id} or {events: [{source, id}, ...]}',
          });
      return;
    }
    for (const field of ['source', 'id'] as const)
      if (body[field] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'is required (or send events: [{source, id}, ...])',
        });
  })
  .transform((body) => ({
    single: body.events === undefined,
    events: body.events ?? [{ source: body.source ?? '', id: body.id ?? '' }],
  }))
  .meta({
    id: 'CancelEvents',
    description: 'One event ({source, id}) or up to 100 ({events: [{source, id}, ...]})',
  });

const CANCEL_CODES =
  'not_found (not in the table: never accepted, or past its acceptance window), too_old (older than the acceptance window), not_cancellable (a max, latest or unique_count meter counted it), period_closed (its period is sealed)';

/** What happened to one event of a cancel request, in the order sent. */
export const CancelOutcomeSchema = z
  .strictObject({
    index: z.int().meta({ description: 'Position of the event in the request (0 for a single event)' }),
    source: z.string(),
    id: z.string(),
    status: z.enum(['cancelled', 'already_cancelled', 'rejected']),
    customer: z.string().optional(),
    time: InstantStringSchema.optional().meta({ description: "The event's time" }),
    cancelled_at: InstantStringSchema.optional(),
    code: z
      .enum(['not_found', 'too_old', 'not_cancellable', 'period_closed'])
      .optional()
      .meta({
        description: `Rejected events: ${CANCEL_CODES}`,
      }),
    message: z.string().optional().meta({ description: 'Rejected events: why' }),
  })
  .meta({ id: 'CancelOutcome' });

/** A single event cancelled (or cancelled before). */
export const CancelledEventSchema = z
  .strictObject({
    status: z.enum(['cancelled', 'already_cancelled']),
    source: z.string(),
    id: z.string(),
    customer: z.string(),
    time: InstantStringSchema,
    cancelled_at: InstantStringSchema,
  })
  .meta({ id: 'CancelledEvent' });

/** A batch: the counts and every event's outcome. */
export const CancelBatchResultSchema = z
  .strictObject({
    cancelled: z.int(),
    already_cancelled: z.int(),
    rejected: z.int(),
    results: z.array(CancelOutcomeSchema),
  })
  .meta({ id: 'CancelBatchResult' });

export const CancelEventsResultSchema = z
  .union([CancelledEventSchema, CancelBatchResultSchema])
  .meta({ id: 'CancelEventsResult' });
