/** The state of one dependency, as `/health` reports it. */
export interface DependencyHealth {
  status: 'ok' | 'unavailable';
  latencyMs?: number;
  /** Why it is unavailable (no endpoints or internals: the route is public). */
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  dependencies: Record<string, DependencyHealth>;
}

/** Port: checks what the API needs (storage, and the delivery queue where configured). */
export interface HealthCheck {
  check(): Promise<HealthReport>;
}
