/** Port: billing runs and their outcomes, as the close records them. */

/** One subscription's outcome in a run (the API and the state machine carry it in snake_case). */
export type RunResult = {
  subscriptionId: string;
  status: string;
  invoiceId?: string;
  invoiceNumber?: string;
  /** Why a subscription failed (e.g. rating_failed), with a message naming the problem. */
  code?: string;
  message?: string;
  error?: string;
  cause?: string;
  reason?: string;
};

export interface BillingRun {
  id: string;
  asOf: string;
  /** interrupted: the process running it died (the next run resumes its work: every step is idempotent). */
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  results: RunResult[];
  error?: string;
}
