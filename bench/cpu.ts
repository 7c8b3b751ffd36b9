import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ: 100 on Linux everywhere we run). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc (Linux). */
export function cpuMilliseconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** Runs `work` and answers the process's CPU time per request it reports, in milliseconds. */
export async function cpuPerRequest<T extends { requests: number }>(pid: number, work: () => Promise<T>): Promise<T & { cpuMsPerRequest: number }> {
  const before = cpuMilliseconds(pid);
  const result = await work();
  const used = cpuMilliseconds(pid) - before;
  return { ...result, cpuMsPerRequest: result.requests ? Math.round((used / result.requests) * 1000) / 1000 : NaN };
}
