import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) another process (DynamoDB Local's JVM) has used so far, from /proc; NaN where unreadable. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12] = utime, stime (fields 14 and 15 of proc(5), counted from state = 3)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Starts the V8 CPU profiler of this process; the returned function stops it and answers the profile. */
export async function startProfile(): Promise<() => Promise<object>> {
  const session = new Session();
  session.connect();
  const send = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await send('Profiler.enable');
  await send('Profiler.start');
  return async () => {
    const { profile } = (await send('Profiler.stop')) as { profile: object };
    session.disconnect();
    return profile;
  };
}
