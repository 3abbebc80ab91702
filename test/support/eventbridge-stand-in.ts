import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One entry of a PutEvents call as the stand-in received it. */
export interface ReceivedEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: number;
}

export interface EventBridgeStandIn {
  /** Point EVENTBRIDGE_ENDPOINT here. */
  endpoint: string;
  /** Every entry taken (not those answered as failed), in order. */
  entries: ReceivedEntry[];
  /** Answer the next `count` entries as failed (FailedEntryCount, ErrorCode InternalFailure). */
  failNext(count: number): void;
  stop(): Promise<void>;
}

/**
 * A small local stand-in for EventBridge: speaks the AWS JSON 1.1 protocol of `AWSEvents.PutEvents`
 * (what the official SDK sends) and records the entries, so tests drive the real client. Any other
 * operation answers 400 UnknownOperationException. Signatures are not checked.
 */
export async function startEventBridgeStandIn(): Promise<EventBridgeStandIn> {
  const entries: ReceivedEntry[] = [];
  let failing = 0;
  let counter = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      const target = String(request.headers['x-amz-target'] ?? '');
      if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents')
        return reply(400, { __type: 'UnknownOperationException', message: `not served here: ${target}` });
      let input: { Entries?: ReceivedEntry[] };
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'not JSON' });
      }
      const results = (input.Entries ?? []).map((entry) => {
        if (failing > 0) {
          failing--;
          return { ErrorCode: 'InternalFailure', ErrorMessage: 'the stand-in was told to fail' };
        }
        entries.push(entry);
        counter++;
        return { EventId: `stand-in-${counter}` };
      });
      return reply(200, {
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
        Entries: results,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    entries,
    failNext: (count) => {
      failing = count;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
