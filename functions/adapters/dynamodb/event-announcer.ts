import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The partition key prefix of stored webhook events (functions/adapters/dynamodb/webhooks.ts). */
const EVENT_PK_PREFIX = 'WHEVENT#';

interface WriteInput {
  Item?: Record<string, { S?: string }>;
  TransactItems?: Array<{ Put?: { Item?: Record<string, { S?: string }> } }>;
}

/** The ids of the webhook events a PutItem or TransactWriteItems input creates. */
export function createdEventIds(input: unknown): string[] {
  const write = (input ?? {}) as WriteInput;
  const items = write.TransactItems ? write.TransactItems.map((entry) => entry.Put?.Item) : [write.Item];
  const ids: string[] = [];
  for (const item of items) {
    const key = item?.PK?.S;
    if (key?.startsWith(EVENT_PK_PREFIX)) ids.push(key.slice(EVENT_PK_PREFIX.length));
  }
  return ids;
}

/**
 * Fast delivery of webhook events: a change writes its events in its own transaction (with their
 * outbox entries), deep inside the stores; once that write has succeeded (committed), this client
 * middleware hands each new event's fan-out to the delivery queue at once, instead of waiting for the
 * next outbox sweep. Best effort: a failed send is reported to `onError` and the sweep, which still
 * finds the outbox entry, is the backstop; the change itself never fails for it. A fan-out that runs
 * twice (this message and a sweep's) is harmless: deliveries are made once per endpoint, the bus gets
 * the event once.
 */
export function announceCreatedEvents(
  client: DynamoDBClient,
  send: (eventId: string) => Promise<void>,
  onError: (error: unknown, eventId: string) => void,
): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const ids = createdEventIds(args.input);
      await Promise.all(ids.map((id) => send(id).catch((error: unknown) => onError(error, id))));
      return result;
    },
    { step: 'initialize', name: 'announceCreatedWebhookEvents' },
  );
}
