// One load run: autocannon at a fixed number of connections for a fixed time, every response's
// latency kept (autocannon's own histogram keeps only 2xx and has no p95).
import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  /** Returns the next request: path, headers and body may change every time (rotation, unique keys). */
  next(): { path: string; headers?: Record<string, string>; body?: string };
  /** The answers that count as served: 200 for a page, 302/303 for a form, 201 for an API create. */
  ok: readonly number[];
  /** Sees each response body (only asked for where a check needs it: reading bodies costs). */
  onBody?: (status: number, body: string) => void;
}

export interface LoadResult {
  connections: number;
  durationS: number;
  served: number;
  /** Answers with another status, connection errors and timeouts. */
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function runLoad(
  baseUrl: string,
  request: LoadRequest,
  /** `amount` instead of a duration: that many requests, for pages too slow to time by the second. */
  options: { connections: number; durationS: number; amount?: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let served = 0;
  const ok = new Set(request.ok);
  let finish!: (result: autocannon.Result) => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: baseUrl,
      connections: options.connections,
      duration: options.durationS,
      ...(options.amount ? { amount: options.amount } : {}),
      // Long enough that a slow page under 50 connections is measured, not dropped.
      timeout: 30,
      requests: [
        {
          method: request.method,
          setupRequest: (req) => ({ ...req, ...request.next() }),
          ...(request.onBody ? { onResponse: (status: number, body: string) => request.onBody!(status, body) } : {}),
        },
      ],
    },
    (err: unknown, result) => (err ? fail(err) : finish(result)),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (ok.has(statusCode)) {
      served++;
      latencies.push(responseTime);
    }
  });
  const result = await done;
  latencies.sort((a, b) => a - b);
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    connections: options.connections,
    durationS: result.duration,
    served,
    errors: answered - served + result.errors,
    timeouts: result.timeouts,
    statuses,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: served / result.duration,
  };
}
