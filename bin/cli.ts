import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The `billing` command: a thin client of the HTTP API, so it works the same against `npm start`
 * and against a deployed stack. Connection: --url/--key, else BILLING_API_URL/BILLING_API_KEY,
 * else the running local stack's runtime file in BILLING_DATA_DIR (default ./.billing-data).
 */
const USAGE = `usage: billing <command> [options]

commands:
  reconcile --customer ID --from ISO --to ISO   rebuild counters from the stored raw events and
                                                 compare; exit code 1 on any mismatch
  close [--as-of ISO]                            run the period close now (the same workflow the
                                                 schedule runs) and print each subscription's outcome;
                                                 exit code 1 if any subscription failed
  run RUN_ID                                     show a billing run
  dunning                                        run dunning now (reminders, payment retries,
                                                 suspensions of overdue invoices) and print each step
                                                 it took; exit code 1 if any step failed
  dlq list [--limit N]                           invoice emails that failed every retry (the
                                                 delivery dead-letter queue), without consuming them
  dlq redrive [--id MESSAGE_ID ...]              move dead letters (all, or the given ones) back to
                                                 the delivery queue
  archive backfill [--customer ID] [--from ISO] [--to ISO] [--segments N]
                                                 copy raw events still in the events table to the
                                                 event archive again (events it missed: a stream batch
                                                 in the archive's dead-letter queue); N parts of the
                                                 table at once (default 4)
options:
  --url URL      API base URL (default: BILLING_API_URL, or the running local stack)
  --key KEY      API key (default: BILLING_API_KEY, or the local stack's admin key)
  --json         print the API's JSON answer instead of a summary
`;

class CliError extends Error {}

function connection(values: { url?: string; key?: string }): { url: string; key: string } {
  const dataDir = process.env.BILLING_DATA_DIR ?? '.billing-data';
  const runtimeFile = join(dataDir, 'runtime.json');
  const runtime = existsSync(runtimeFile) ? (JSON.parse(readFileSync(runtimeFile, 'utf8')) as { url?: string }) : {};
  const keyFile = join(dataDir, 'admin-key');
  const url = values.url ?? process.env.BILLING_API_URL ?? runtime.url;
  const key =
    values.key ??
    process.env.BILLING_API_KEY ??
    (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!url)
    throw new CliError(
      `no API to talk to: start the local stack with \`npm start\`, or pass --url / set BILLING_API_URL`,
    );
  if (!key) throw new CliError('no API key: pass --key or set BILLING_API_KEY');
  return { url: url.replace(/\/$/, ''), key };
}

async function request(conn: { url: string; key: string }, method: string, path: string, body?: unknown): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${conn.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${conn.key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new CliError(`cannot reach ${conn.url}: ${(error as Error).message}`);
  }
  const payload = (await response.json().catch(() => ({}))) as any;
  if (!response.ok) {
    const details = (payload?.error?.details ?? []).map((d: any) => `\n  ${d.path}: ${d.message}`).join('');
    throw new CliError(
      `${response.status} ${payload?.error?.code ?? ''}: ${payload?.error?.message ?? response.statusText}${details}`,
    );
  }
  return payload;
}

async function reconcileCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      customer: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  for (const name of ['customer', 'from', 'to'] as const)
    if (!values[name]) throw new CliError(`reconcile needs --${name}\n\n${USAGE}`);
  const conn = connection(values);
  const query = new URLSearchParams({ customer: values.customer!, from: values.from!, to: values.to! });
  const report = await request(conn, 'GET', `/v1/reconcile?${query}`);
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(
      `customer ${report.customer}, ${report.from} .. ${report.to}: ${report.events} stored events\n`,
    );
    for (const m of report.meters) {
      process.stdout.write(
        `  ${m.meter.padEnd(24)} ${m.aggregation.padEnd(13)} from events ${m.from_events.padStart(14)}   in counters ${m.from_counters.padStart(14)}\n`,
      );
    }
    for (const m of report.mismatches) {
      process.stdout.write(
        m.field === 'rollups'
          ? `  MISMATCH ${m.meter} day rollups: buckets say ${m.expected}, rollups say ${m.actual}\n`
          : `  MISMATCH ${m.meter} bucket ${m.bucket} ${JSON.stringify(m.dimensions)} ${m.field}: events say ${m.expected}, counters say ${m.actual}\n`,
      );
    }
    process.stdout.write(`${report.mismatch_count} mismatches\n`);
    for (const b of report.billing ?? []) {
      process.stdout.write(
        `  billing ${b.meter}: accepted ${b.accepted} = invoiced ${b.invoiced} + adjusted ${b.adjusted} + awaiting adjustment ${b.awaiting_adjustment} + unbilled ${b.unbilled} + voided ${b.voided} + outside subscriptions ${b.unsubscribed}\n`,
      );
    }
  }
  return report.mismatch_count === 0 && report.billing_balanced !== false ? 0 : 1;
}

function printRun(run: any, json: boolean | undefined): number {
  if (json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  else {
    process.stdout.write(`run ${run.id} as of ${run.as_of}: ${run.status}${run.error ? ` (${run.error})` : ''}\n`);
    for (const r of run.results) {
      const detail =
        r.status === 'invoiced'
          ? `${r.invoice_number} (${r.invoice_id})`
          : r.status === 'failed'
            ? r.code
              ? `${r.code}: ${r.message}`
              : `${r.error}: ${r.cause}`
            : (r.reason ?? '');
      process.stdout.write(`  ${r.subscription_id.padEnd(28)} ${r.status.padEnd(9)} ${detail}\n`);
    }
    const s = run.summary;
    process.stdout.write(
      `${s.invoiced} invoiced, ${s.drafted ?? 0} drafted, ${s.skipped} skipped, ${s.failed} failed\n`,
    );
  }
  return run.status === 'failed' || run.summary.failed > 0 ? 1 : 0;
}

async function closeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'as-of': { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const conn = connection(values);
  let run = await request(conn, 'POST', '/v1/billing-runs', values['as-of'] ? { as_of: values['as-of'] } : {});
  // In AWS the run continues in Step Functions: poll until it is recorded as finished.
  for (let waited = 0; run.status === 'running' && waited < 900; waited += 2) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    run = await request(conn, 'GET', `/v1/billing-runs/${run.id}`);
  }
  return printRun(run, values.json);
}

async function dunningCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { url: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean' } },
  });
  const result = await request(connection(values), 'POST', '/v1/dunning/runs');
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    for (const step of result.steps as any[])
      process.stdout.write(
        `  ${step.number}  ${step.customer}  step ${step.step} ${step.action} (day ${step.after_days}): ${step.status}${step.detail ? ` (${step.detail})` : ''}\n`,
      );
    for (const customer of result.suspended as string[]) process.stdout.write(`  suspended ${customer}\n`);
    for (const customer of result.unsuspended as string[]) process.stdout.write(`  unsuspended ${customer}\n`);
    for (const error of result.errors as any[]) process.stdout.write(`  error ${error.invoice}: ${error.message}\n`);
    process.stdout.write(
      `dunning at ${result.ran_at}: ${result.invoices} overdue invoice${result.invoices === 1 ? '' : 's'}, ${result.steps.length} step${result.steps.length === 1 ? '' : 's'} taken\n`,
    );
  }
  return (result.steps as any[]).some((step) => step.status === 'failed') || result.errors.length > 0 ? 1 : 0;
}

async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!positionals[0]) throw new CliError(`run needs a run id\n\n${USAGE}`);
  return printRun(
    await request(connection(values), 'GET', `/v1/billing-runs/${encodeURIComponent(positionals[0])}`),
    values.json,
  );
}

async function dlqCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      id: { type: 'string', multiple: true },
      url: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const conn = connection(values);
  const action = positionals[0];
  if (action === 'list') {
    const query = values.limit ? `?${new URLSearchParams({ limit: values.limit })}` : '';
    const { data } = await request(conn, 'GET', `/v1/delivery/dead-letters${query}`);
    if (values.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else {
      for (const letter of data) {
        const what = letter.invoice_id
          ? `${letter.kind.padEnd(8)} ${letter.invoice_id}`
          : `unreadable: ${JSON.stringify(letter.body).slice(0, 60)}`;
        process.stdout.write(
          `  ${letter.message_id.padEnd(38)} ${String(letter.receive_count).padStart(3)} receives  ${letter.sent_at ?? ''}  ${what}\n`,
        );
      }
      process.stdout.write(`${data.length} dead letter${data.length === 1 ? '' : 's'}\n`);
    }
    return 0;
  }
  if (action === 'redrive') {
    const result = await request(
      conn,
      'POST',
      '/v1/delivery/dead-letters/redrive',
      values.id ? { message_ids: values.id } : {},
    );
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      for (const id of result.message_ids) process.stdout.write(`  ${id}\n`);
      process.stdout.write(
        `redrove ${result.redriven} message${result.redriven === 1 ? '' : 's'} to the delivery queue\n`,
      );
    }
    return 0;
  }
  throw new CliError(`dlq needs 'list' or 'redrive'\n\n${USAGE}`);
}

/** Scan segments backfilled at once by default: enough to keep one archiver busy per segment. */
const BACKFILL_SEGMENTS = 4;

async function archiveCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'backfill') throw new CliError(`archive needs 'backfill'\n\n${USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      customer: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      segments: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const segments = values.segments === undefined ? BACKFILL_SEGMENTS : Number(values.segments);
  if (!Number.isInteger(segments) || segments < 1 || segments > 64)
    throw new CliError('--segments must be a whole number from 1 to 64');
  const conn = connection(values);
  const filter = {
    ...(values.customer ? { customer: values.customer } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
  };
  const totals = { scanned: 0, archived: 0, objects: 0, calls: 0 };
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let cursor: string | null = null;
      do {
        const result: { scanned: number; archived: number; objects: number; cursor: string | null } = await request(
          conn,
          'POST',
          '/v1/event-archive/backfill',
          { ...filter, segment, total_segments: segments, ...(cursor ? { cursor } : {}) },
        );
        totals.scanned += result.scanned;
        totals.archived += result.archived;
        totals.objects += result.objects;
        totals.calls += 1;
        cursor = result.cursor;
        if (!values.json)
          process.stderr.write(
            `  segment ${segment + 1}/${segments}: ${totals.scanned} items read, ${totals.archived} events archived so far\n`,
          );
      } while (cursor);
    }),
  );
  if (values.json) process.stdout.write(`${JSON.stringify(totals, null, 2)}\n`);
  else
    process.stdout.write(
      `${totals.scanned} items of the events table read in ${totals.calls} calls; ${totals.archived} events written to the archive in ${totals.objects} objects\n`,
    );
  return 0;
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  reconcile: reconcileCommand,
  close: closeCommand,
  run: runCommand,
  dunning: dunningCommand,
  dlq: dlqCommand,
  archive: archiveCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new CliError(`unknown command '${name}'\n\n${USAGE}`);
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `billing: ${error instanceof CliError || error instanceof TypeError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exit(2);
  },
);
