/** Port: the plan versions as the application reads and writes them. */

/** A plan version as stored: the validated wire document (snake_case), immutable once written. */
export interface StoredPlanVersion {
  key: string;
  version: number;
  created_at: string;
  [field: string]: unknown;
}
