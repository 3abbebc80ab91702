import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { BillingConfig } from '../../config.js';
import { EVENT_BUS_SOURCE, type WebhookPayload } from '../../domain/webhook-event.js';

/** One client per process. Locally (an endpoint is set: the tests' stand-in) any credentials do. */
export function createEventBridgeClient(
  config: Pick<BillingConfig, 'eventBridgeEndpoint' | 'region'>,
): EventBridgeClient {
  return new EventBridgeClient({
    region: config.region,
    maxAttempts: 4,
    retryMode: 'standard',
    ...(config.eventBridgeEndpoint
      ? { endpoint: config.eventBridgeEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

/**
 * Puts webhook events on the EventBridge bus: source {@link EVENT_BUS_SOURCE}, detail-type the event
 * type, detail the Standard Webhooks payload (`id` is the event id: EventBridge does not deduplicate,
 * so consumers do on it), time the event's `created_at`, no resources.
 */
/** EventBridge's limit of one entry (bytes, detail and the other fields), with room for those fields. */
const MAX_DETAIL_BYTES = 250 * 1024;

/**
 * The entry's detail: the payload, or where it exceeds EventBridge's 256 KB entry limit (an invoice
 * with thousands of lines), the envelope with `data` cut to the resource's id and `data_truncated`
 * (the consumer reads the resource from the API), so the put can succeed instead of failing forever.
 */
export function eventDetail(payload: WebhookPayload): string {
  const full = JSON.stringify(payload);
  if (Buffer.byteLength(full, 'utf8') <= MAX_DETAIL_BYTES) return full;
  const data = payload.data as { id?: unknown } | null;
  return JSON.stringify({
    ...payload,
    data: typeof data === 'object' && data !== null && 'id' in data ? { id: data.id } : null,
    data_truncated: true,
  });
}

export class EventBusPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    readonly busName: string,
  ) {}

  async publish(payload: WebhookPayload): Promise<void> {
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: EVENT_BUS_SOURCE,
            DetailType: payload.type,
            Detail: eventDetail(payload),
            Time: new Date(payload.created_at),
          },
        ],
      }),
    );
    // PutEvents answers 200 with per-entry failures (throttling, internal errors): a failure to retry.
    if ((result.FailedEntryCount ?? 0) > 0) {
      const entry = result.Entries?.[0];
      throw new Error(
        `EventBridge did not take event ${payload.id}: ${entry?.ErrorCode ?? 'failed'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}
