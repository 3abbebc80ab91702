import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../functions/config.js';
import { HANDLER_ENTRIES, type HandlerName } from '../../lib/handlers.js';
import { synthTemplate } from '../../lib/synth.js';
import { environmentProblems, loadEntry, type TemplateFunction, templateFunctions } from '../../local/functions.js';
import { type EventBridgeStandIn, startEventBridgeStandIn } from '../support/eventbridge-stand-in.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Local runs what AWS runs: every function of the synthesized template names its entry, the
 * template's variables are ones the configuration reads, each resource binding is one the entry
 * reads (and each one it reads is bound), and `npm start` gives every function exactly the bindings
 * of the template, resolved to its local servers.
 */
const template = synthTemplate();
const functions = templateFunctions(template);
let stack: TestStack;
let eventBridge: EventBridgeStandIn;

beforeAll(async () => {
  // Everything on, as under `npm start`: delivery (SQS, SES), the estimates refresher, and an event bus
  // (off locally unless named: here on a stand-in).
  eventBridge = await startEventBridgeStandIn();
  stack = await startTestStack({
    env: { BILLING_EVENT_BUS_NAME: 'billing-local', EVENTBRIDGE_ENDPOINT: eventBridge.endpoint },
    delivery: { sweepIntervalSeconds: 0 },
    estimatesIntervalSeconds: 3600,
    archive: true,
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await eventBridge?.stop();
});

describe('the template and the entries', () => {
  it('has one function per entry, each naming the entry it runs', () => {
    expect(functions.map((fn) => fn.handler).sort()).toEqual(Object.keys(HANDLER_ENTRIES).sort());
  });

  it.each(functions.map((fn) => [fn.handler, fn] as const))(
    'gives %s only variables the configuration reads, and exactly the bindings its entry reads',
    async (handler, fn) => {
      const entry = await loadEntry(handler);
      expect(environmentProblems(fn, entry)).toEqual([]);
      // Every function but the archiver (fed by the events table's stream or its scan, writing only
      // to S3) and the documents function (given the document in the event) uses the table.
      if (handler === 'archiveEvents')
        expect(fn.bindings).toEqual(['BILLING_ARCHIVE_BUCKET', 'BILLING_EVENTS_TABLE_NAME']);
      else if (handler === 'documents') expect(fn.bindings).toEqual([]);
      else expect(fn.bindings).toContain('BILLING_TABLE_NAME');
    },
  );

  it('names a variable CDK forgot, a binding the entry does not read, and a variable nobody reads', async () => {
    const api = functions.find((fn) => fn.handler === 'api')!;
    const { BILLING_DELIVERY_QUEUE_URL: _forgotten, ...rest } = api.variables;
    const forgot: TemplateFunction = {
      ...api,
      variables: rest,
      bindings: api.bindings.filter((name) => name !== 'BILLING_DELIVERY_QUEUE_URL'),
    };
    expect(environmentProblems(forgot, await loadEntry('api'))).toEqual([
      `${api.logicalId} (api) reads BILLING_DELIVERY_QUEUE_URL, which the template does not give it`,
    ]);
    const deliver = functions.find((fn) => fn.handler === 'deliver')!;
    const extra: TemplateFunction = {
      ...deliver,
      variables: { ...deliver.variables, BILLING_STATE_MACHINE_ARN: { Ref: 'X' }, BILLING_TYPO: 'x' },
      bindings: [...deliver.bindings, 'BILLING_STATE_MACHINE_ARN'].sort(),
    };
    expect(environmentProblems(extra, await loadEntry('deliver'))).toEqual([
      `${deliver.logicalId} gets BILLING_TYPO, which the configuration does not read`,
      `${deliver.logicalId} (deliver) is bound to BILLING_STATE_MACHINE_ARN, which its entry does not read`,
    ]);
  });

  it('lists every variable the configuration reads', () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    loadConfig(env);
    expect([...read].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});

describe('npm start', () => {
  it.each(functions.map((fn) => [fn.handler, fn] as const))(
    'runs %s from its entry with the bindings the template gives it, resolved to the local servers',
    (handler: HandlerName, fn) => {
      expect(stack.wiring[handler]).toEqual({ logicalId: fn.logicalId, bindings: fn.bindings, unresolved: [] });
    },
  );

  it('wires the delivery queue into the API: it answers the dead-letter list (501 when unwired)', async () => {
    const response = await stack.call('GET', '/v1/delivery/dead-letters');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  });
});
