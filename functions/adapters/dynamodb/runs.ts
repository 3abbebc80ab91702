import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { BillingRun, RunResult } from '../../app/ports/runs.js';
import { webhookEvent } from '../../domain/webhook-event.js';
import { batchPut, doc, queryAll, s } from './attributes.js';
import { TABLE } from './table.js';
import { eventWrites, webhooksEnabled } from './webhooks.js';

/** A run is one item plus one item per outcome (a run may close any number of subscriptions). */
/** An outcome as stored (since the first release: the state machine's snake_case fields). */
type StoredRunResult = Omit<RunResult, 'subscriptionId' | 'invoiceId' | 'invoiceNumber'> & {
  subscription_id: string;
  invoice_id?: string;
  invoice_number?: string;
};

function storedResult({ subscriptionId, invoiceId, invoiceNumber, ...rest }: RunResult): StoredRunResult {
  return {
    subscription_id: subscriptionId,
    ...(invoiceId !== undefined ? { invoice_id: invoiceId } : {}),
    ...(invoiceNumber !== undefined ? { invoice_number: invoiceNumber } : {}),
    ...rest,
  };
}

function resultFromStore({ subscription_id, invoice_id, invoice_number, ...rest }: StoredRunResult): RunResult {
  return {
    subscriptionId: subscription_id,
    ...(invoice_id !== undefined ? { invoiceId: invoice_id } : {}),
    ...(invoice_number !== undefined ? { invoiceNumber: invoice_number } : {}),
    ...rest,
  };
}

/** The event id of a run's end: derived from the run and the type, so the end is reported once. */
const runEventId = (runId: string, type: string) =>
  `evt_${createHash('sha256').update(`${runId}\n${type}`).digest('hex').slice(0, 24)}`;

export class RunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Writes the run's own item (status, times); outcomes are added with addResults. */
  async put(run: BillingRun): Promise<void> {
    const { results: _outcomes, ...head } = run;
    const put = {
      TableName: this.tableName,
      Item: {
        PK: s(`RUN#${run.id}`),
        SK: s('RUN'),
        doc: s(JSON.stringify(head)),
        [TABLE.gsi1.partitionKey]: s('RUNS'),
        [TABLE.gsi1.sortKey]: s(`${run.startedAt}#${run.id}`),
      },
    };
    // A run that ends reports billing_run.completed|failed in the same transaction, once: the event id
    // is derived from the run and its outcome, so writing the same end again finds it and writes the run alone.
    const type =
      run.status === 'succeeded' ? 'billing_run.completed' : run.status === 'failed' ? 'billing_run.failed' : undefined;
    if (type && (await webhooksEnabled(this.client, this.tableName))) {
      const eventId = runEventId(run.id, type);
      const at = run.finishedAt ?? run.startedAt;
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: put },
              ...eventWrites(this.tableName, webhookEvent(eventId, type, at, 'billing_run', run)),
            ],
          }),
        );
        if (run.results.length > 0) await this.addResults(run.id, run.results);
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    await this.client.send(new PutItemCommand(put));
    if (run.results.length > 0) await this.addResults(run.id, run.results);
  }

  /** Adds outcomes; keyed by subscription and outcome, so writing the same page twice changes nothing. */
  async addResults(runId: string, results: RunResult[]): Promise<void> {
    await batchPut(
      this.client,
      this.tableName,
      results.map((result) => ({
        PK: s(`RUN#${runId}`),
        SK: s(`R#${result.subscriptionId}#${result.invoiceId ?? result.status}`),
        doc: s(JSON.stringify(storedResult(result))),
      })),
    );
  }

  /** The most recent runs, newest first, each with its outcomes. */
  async recent(limit: number): Promise<BillingRun[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.gsi1.partitionKey },
        ExpressionAttributeValues: { ':pk': s('RUNS') },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const ids = (page.Items ?? []).map((item) => item.PK?.S?.slice('RUN#'.length) ?? '').filter((id) => id !== '');
    const runs = await Promise.all(ids.map((id) => this.find(id)));
    return runs.filter((run): run is BillingRun => run !== undefined);
  }

  /**
   * Marks a run that is still `running` as `interrupted`; false when it is not running any more
   * (it finished meanwhile: the write is conditional on the item being what was read).
   */
  async interrupt(id: string, at: Date, reason: string): Promise<boolean> {
    const read = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { PK: s(`RUN#${id}`), SK: s('RUN') },
        ConsistentRead: true,
      }),
    );
    const previous = read.Item?.doc?.S;
    if (!read.Item || previous === undefined) return false;
    const head = JSON.parse(previous) as Omit<BillingRun, 'results'>;
    if (head.status !== 'running') return false;
    const next: Omit<BillingRun, 'results'> = {
      ...head,
      status: 'interrupted',
      finishedAt: at.toISOString(),
      error: reason,
    };
    const put = {
      TableName: this.tableName,
      Item: { ...read.Item, doc: s(JSON.stringify(next)) },
      ConditionExpression: 'doc = :previous',
      ExpressionAttributeValues: { ':previous': s(previous) },
    };
    try {
      // A run that did not finish (its execution failed, timed out or was stopped: in AWS this is where
      // such a run is found) reports billing_run.failed in the same transaction, once (the id is derived
      // from the run, as for a run recorded failed).
      if (await webhooksEnabled(this.client, this.tableName)) {
        const run: BillingRun = { ...next, results: (await this.find(id))?.results ?? [] };
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: put },
              ...eventWrites(
                this.tableName,
                webhookEvent(
                  runEventId(id, 'billing_run.failed'),
                  'billing_run.failed',
                  next.finishedAt ?? at.toISOString(),
                  'billing_run',
                  run,
                ),
              ),
            ],
          }),
        );
      } else await this.client.send(new PutItemCommand(put));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException)
        return false;
      throw error;
    }
  }

  async find(id: string): Promise<BillingRun | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s(`RUN#${id}`) },
      ConsistentRead: true,
    });
    const head = items.find((item) => item.SK?.S === 'RUN');
    if (!head) return undefined;
    const results = items
      .filter((item) => item.SK?.S?.startsWith('R#'))
      .map((item) => resultFromStore(doc<StoredRunResult>(item)));
    return { ...doc<Omit<BillingRun, 'results'>>(head), results };
  }
}
