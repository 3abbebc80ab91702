import type { RunResult } from '../../app/ports/runs.js';

/** The wire form of a run outcome (snake_case), as the API shows it and the close state machine passes it on. */
export interface RunResultWire extends Omit<RunResult, 'subscriptionId' | 'invoiceId' | 'invoiceNumber'> {
  subscription_id: string;
  invoice_id?: string;
  invoice_number?: string;
}

/** One outcome as the API and the close state machine carry it. */
export function runResultJson({ subscriptionId, invoiceId, invoiceNumber, ...rest }: RunResult): RunResultWire {
  return {
    subscription_id: subscriptionId,
    ...(invoiceId !== undefined ? { invoice_id: invoiceId } : {}),
    ...(invoiceNumber !== undefined ? { invoice_number: invoiceNumber } : {}),
    ...rest,
  };
}

/** A run outcome from the wire (the state machine's RecordRun input). */
export function runResultFromWire({ subscription_id, invoice_id, invoice_number, ...rest }: RunResultWire): RunResult {
  return {
    subscriptionId: subscription_id,
    ...(invoice_id !== undefined ? { invoiceId: invoice_id } : {}),
    ...(invoice_number !== undefined ? { invoiceNumber: invoice_number } : {}),
    ...rest,
  };
}
