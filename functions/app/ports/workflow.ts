/** Starts the close workflow: the Step Functions state machine in AWS, the embedded runner locally. */
export interface WorkflowStarter {
  /** Starts a run; resolves when it is started (AWS) or finished (local). */
  start(runId: string, asOf: Date): Promise<void>;
  /** Whether the run's execution is still going (false once it ended or died; undefined: unknown). */
  isRunning?(runId: string): Promise<boolean | undefined>;
}
