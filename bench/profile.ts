import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from './cluster';
import { connectTask } from './connect-task';
import { cpuPerRequest } from './cpu';
import { load } from './load';

/**
 * `npm run bench:profile`: where an API-token proxy call spends the app's CPU. Starts one app
 * under `node --cpu-prof`, drives the proxy for a while, stops it, and prints self time by
 * package and the top functions. Run `npm run build` first (it profiles backend/dist).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MODE = process.env.PROFILE_AUTH ?? 'token'; // token | cookie
const LIMITS = 'services/data/v62.0/limits';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

async function main(): Promise<void> {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'tasks-salesforce-profile-'));
  const cluster = await startCluster();
  try {
    const app = await cluster.startApp({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
    const { taskId, apiToken, sessionCookie } = await connectTask(app.url);
    const url = `${app.url}/api/tasks/${taskId}/sfdc/proxy/${LIMITS}`;
    const headers: Record<string, string> = MODE === 'cookie' ? { cookie: sessionCookie } : { authorization: `Bearer ${apiToken}` };
    await load(url, { connections: 10, seconds: 2, headers }); // warm-up (JIT)
    const measured = await cpuPerRequest(app.pid, () => load(url, { connections: 10, seconds: SECONDS, headers }));
    console.log(`${MODE}: ${measured.requestsPerSecond} req/s, ${measured.cpuMsPerRequest} ms of app CPU per call (${measured.non2xx} non-2xx)`);
    await app.stop();
  } finally {
    await cluster.stop();
  }
  const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${profileDir}`);
  report(JSON.parse(await readFile(path.join(profileDir, file), 'utf8')));
  console.log(`\nProfile: ${path.join(profileDir, file)} (open it in Chrome DevTools → Performance)`);
}

/** Self time per node from the sample list, then grouped by where the code lives. */
function report(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += micros;
    const place = placeOf(url, functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
    const key = `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  const print = (title: string, map: Map<string, number>, count: number) => {
    console.log(`\n${title}`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      console.log(`${((micros / total) * 100).toFixed(1).padStart(6)}%  ${key}`);
    }
  };
  print('busy time by place (idle excluded)', byPlace, 25);
  print('top functions (self time)', byFunction, 40);
}

function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const own = /(backend|emulator)\/dist\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(backend|emulator)\//, '$1/');
}

main().catch((err: unknown) => {
  console.error('profile failed:', err);
  process.exit(1);
});
