import { request as httpRequest } from 'node:http';
import type { FuzzRequest } from './plan.js';
import { changes, type Snapshot, type StoreSnapshots } from './store.js';

export interface FuzzResponse {
  /** HTTP status, or `timeout` when no answer came within the client timeout. */
  status: number | 'timeout' | 'network-error';
  code?: string;
  message?: string;
}

export interface FuzzFailure {
  kind: 'server-error' | 'timeout' | 'store-changed';
  request: FuzzRequest;
  response: FuzzResponse;
  /** Items added (+), changed (~) or removed (-) by a 4xx. */
  changed?: string[];
  /** For a change the replay could not pin on one request: the requests of the group. */
  group?: FuzzRequest[];
}

export interface RunnerOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  store: StoreSnapshots;
  /** Called on every failure as it is found (a run that dies on the heap still leaves the trail). */
  onFailure?: (failure: FuzzFailure) => void;
  /** Called before every request is sent (to find the request a dying run was on). */
  onSend?: (request: FuzzRequest) => void;
}

/** One line per failure: method path, input class, where, status, error code and message. */
export function failureLine(failure: FuzzFailure): string {
  const { request, response } = failure;
  const status = String(response.status);
  const error = [response.code, response.message].filter(Boolean).join(': ').slice(0, 160);
  const what =
    failure.kind === 'store-changed'
      ? `store changed on ${status}: ${failure.changed?.slice(0, 4).join(', ')}${(failure.changed?.length ?? 0) > 4 ? ` (+${failure.changed!.length - 4})` : ''}${failure.group ? ` (one of ${failure.group.length} requests)` : ''}`
      : `${status} ${error}`;
  return `${request.method} ${request.route} [${request.cls}] ${request.target} = ${request.sample} → ${what}`;
}

/**
 * Sends fuzz requests and checks two things: no answer is a 5xx (or none at all), and a 4xx leaves
 * the table exactly as it was. The table is scanned once per run of 4xx answers; any other answer (a
 * 2xx may change the store legitimately) ends the run and is followed by a fresh scan. 4xx answers
 * that shared a run with such an answer, or whose run changed the store, are replayed one by one
 * between scans to pin the change on a request.
 */
export class FuzzRunner {
  readonly failures: FuzzFailure[] = [];
  readonly responses: Array<{ request: FuzzRequest; response: FuzzResponse }> = [];
  private current: Snapshot | undefined;

  constructor(private readonly options: RunnerOptions) {}

  async send(request: FuzzRequest): Promise<FuzzResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}` };
    if (request.contentType) headers['content-type'] = request.contentType;
    this.options.onSend?.(request);
    let response: FuzzResponse;
    try {
      // node:http, not fetch: fetch would normalise the path (`..`, `%2e%2e`) before it leaves the client.
      const answer = await rawRequest(`${this.options.baseUrl}`, request, headers, this.options.timeoutMs);
      response = { status: answer.status };
      try {
        const parsed = JSON.parse(answer.text) as { error?: { code?: string; message?: string } };
        if (parsed?.error) response = { ...response, code: parsed.error.code, message: parsed.error.message };
      } catch {
        if (answer.status >= 400) response.message = answer.text.slice(0, 120);
      }
    } catch (error) {
      const name = (error as Error).name;
      response =
        name === 'TimeoutError' || name === 'AbortError'
          ? { status: 'timeout', message: `no answer within ${this.options.timeoutMs} ms` }
          : { status: 'network-error', message: (error as Error).message };
    }
    this.responses.push({ request, response });
    if (response.status === 'timeout') this.fail({ kind: 'timeout', request, response });
    else if (response.status === 'network-error' || response.status >= 500)
      this.fail({ kind: 'server-error', request, response });
    return response;
  }

  /** Sends one operation's requests in order, checking the store around every run of 4xx answers. */
  async runGroup(requests: readonly FuzzRequest[]): Promise<void> {
    this.current ??= await this.options.store.take();
    let run: Array<{ request: FuzzRequest; response: FuzzResponse }> = [];
    const replay: FuzzRequest[] = [];
    for (const request of requests) {
      const response = await this.send(request);
      if (is4xx(response)) {
        run.push({ request, response });
        continue;
      }
      // A 2xx (or a failure) may have changed the store: the 4xx before it cannot be told apart from it.
      replay.push(...run.map((r) => r.request));
      run = [];
      this.current = await this.options.store.take();
    }
    if (run.length > 0) {
      const after = await this.options.store.take();
      const changed = changes(this.current, after);
      this.current = after;
      if (changed.length > 0) {
        const pinned = await this.replay(run.map((r) => r.request));
        if (!pinned) {
          const [first] = run;
          this.fail({
            kind: 'store-changed',
            request: first!.request,
            response: first!.response,
            changed,
            group: run.map((r) => r.request),
          });
        }
      }
    }
    await this.replay(replay);
  }

  /** Sends each request again between two scans; true when one of them changed the store on a 4xx. */
  private async replay(requests: readonly FuzzRequest[]): Promise<boolean> {
    let pinned = false;
    for (const request of requests) {
      const before = this.current ?? (await this.options.store.take());
      const response = await this.send(request);
      const after = await this.options.store.take();
      this.current = after;
      if (!is4xx(response)) continue;
      const changed = changes(before, after);
      if (changed.length > 0) {
        pinned = true;
        this.fail({ kind: 'store-changed', request, response, changed });
      }
    }
    return pinned;
  }

  private fail(failure: FuzzFailure): void {
    this.failures.push(failure);
    this.options.onFailure?.(failure);
  }
}

function is4xx(response: FuzzResponse): boolean {
  return typeof response.status === 'number' && response.status >= 400 && response.status < 500;
}

/** One request with the path sent byte for byte as planned; aborted after `timeoutMs`. */
function rawRequest(
  baseUrl: string,
  request: FuzzRequest,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { hostname, port, method: request.method, path: request.url, headers, signal: AbortSignal.timeout(timeoutMs) },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
