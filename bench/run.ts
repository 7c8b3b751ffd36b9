import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../backend/src/platform/free-port';
import { BenchBrowser } from './browser';
import { connect, consent } from 'salesforce-emulator/testing';
import type { Emulator } from 'salesforce-emulator';
import { startCluster, type Cluster } from './cluster';
import { measureHealthRound, type HealthRoundFigures } from './health-round';
import { load, median, type LoadResult } from './load';
import { REPO_ROOT, run } from './processes';
import { sequentialLatency } from './sequential';
import { measureStartup } from './startup';
import { soak, type SoakFigures } from './soak';

/**
 * `npm run bench` (method and targets: docs/performance.md): every phase against the emulator on loopback, side by side in one
 * run, interleaved and repeated; prints a table and writes the figures as JSON.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 400);
const HEALTH_CONNECTIONS = Number(process.env.BENCH_HEALTH_CONNECTIONS ?? 1000);
const LIMITS = 'services/data/v62.0/limits';

interface Phase {
  key: 'a' | 'b' | 'c' | 'd';
  name: string;
  url: string;
  headers: Record<string, string>;
}

async function main(): Promise<void> {
  console.log('Building the backend …');
  await run('npm', ['run', 'build', '-w', 'emulator']);
  await run('npm', ['run', 'build', '-w', 'frontend']);
  await run('npm', ['run', 'build', '-w', 'backend']);
  console.log('(f) start-up and memory at rest …');
  const startup = await measureStartup();

  const cluster = await startCluster();
  try {
    const app = await cluster.startApp();
    const { taskId, apiToken, sessionCookie, userId } = await connectTask(app.url);
    const direct = await connect({ loginUrl: cluster.emulatorLoginUrl } as Emulator);
    const hop = await startBareHop(cluster.emulatorInstanceUrl);
    const salesforceAuth = { authorization: `Bearer ${direct.access_token}` };
    const proxied = `${app.url}/api/tasks/${taskId}/sfdc/proxy/${LIMITS}`;
    const phases: Phase[] = [
      { key: 'a', name: 'straight to the emulator', url: `${cluster.emulatorInstanceUrl}/${LIMITS}`, headers: salesforceAuth },
      { key: 'b', name: 'bare node:http hop', url: `${hop.url}/${LIMITS}`, headers: salesforceAuth },
      { key: 'c', name: 'product proxy, API token', url: proxied, headers: { authorization: `Bearer ${apiToken}` } },
      { key: 'd', name: 'product proxy, session cookie', url: proxied, headers: { cookie: sessionCookie } },
    ];

    console.log(`(a)–(d) ${ROUNDS} interleaved rounds of ${SECONDS} s at ${CONNECTIONS} connections, then ${SEQUENTIAL} sequential calls each …`);
    for (const phase of phases) await load(phase.url, { connections: CONNECTIONS, seconds: 1, headers: phase.headers }); // warm-up
    const throughput: Record<string, LoadResult[]> = { a: [], b: [], c: [], d: [] };
    const single: Record<string, { p50Ms: number; p99Ms: number; failures: number }[]> = { a: [], b: [], c: [], d: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const phase of phases) throughput[phase.key].push(await load(phase.url, { connections: CONNECTIONS, seconds: SECONDS, headers: phase.headers }));
      for (const phase of phases) single[phase.key].push(await sequentialLatency(phase.url, { count: SEQUENTIAL, headers: phase.headers }));
    }
    hop.stop();

    console.log('(e) refresh storm: 3 instances, 300 concurrent proxied calls on an expired token …');
    const storm = await refreshStorm(cluster, [app.url, (await cluster.startApp()).url, (await cluster.startApp()).url], taskId, apiToken);

    console.log('(g) soak: 20 s at 50 connections, UI calls and proxied calls mixed, tokens expired every 3 s …');
    const soakFigures = await soak({ appUrl: app.url, pid: app.pid, taskId, apiToken, sessionCookie, controlUrl: `${cluster.emulatorLoginUrl}/__emulator` });

    console.log(`(h) one round of background health checks over ${HEALTH_CONNECTIONS} connections, 3 instances …`);
    const healthRound = await measureHealthRound(cluster, { connections: HEALTH_CONNECTIONS, instances: 3, ownerId: userId });

    const figures = { ...summarize(phases, throughput, single, storm, startup), soak: soakFigures, healthRound };
    printReport(figures);
    const file = path.join(REPO_ROOT, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(figures, null, 2) + '\n');
    console.log(`\nFigures written to ${path.relative(REPO_ROOT, file)}`);
  } finally {
    await cluster.stop();
  }
}

/** Signs up, connects a Task through the consent page, and makes an API token. */
async function connectTask(appUrl: string): Promise<{ taskId: string; apiToken: string; sessionCookie: string; userId: string }> {
  const browser = new BenchBrowser(appUrl);
  await browser.post('/api/auth/register', { email: `bench-${Date.now()}@example.com`, password: 'bench password 123' });
  const taskId = (await browser.post<{ task: { id: string } }>('/api/tasks', { name: 'bench' })).task.id;
  const callback = await consent((await browser.post<{ url: string }>(`/api/tasks/${taskId}/sfdc/authorize`, { environment: 'production' })).url);
  const landed = await browser.get(callback.pathname + callback.search);
  if (landed.headers.get('location') !== `/tasks/${taskId}?sfdc=connected`) throw new Error(`connecting failed: ${landed.headers.get('location')}`);
  const apiToken = (await browser.post<{ token: string }>('/api/tokens', { name: 'bench' })).token;
  const userId = ((await (await browser.get('/api/auth/me')).json()) as { user: { id: string } }).user.id;
  return { taskId, apiToken, sessionCookie: browser.cookie, userId };
}

async function startBareHop(target: string): Promise<{ url: string; stop(): void }> {
  const port = await findFreePort();
  const child = fork(path.join(__dirname, 'bare-hop.mjs'), [String(port), target], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function refreshStorm(cluster: Cluster, instances: string[], taskId: string, apiToken: string) {
  const control = (action: string, method = 'POST') =>
    fetch(`${cluster.emulatorLoginUrl}/__emulator/${action}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined }).then(
      (r) => r.json() as Promise<{ counts: Record<string, number> }>,
    );
  const before = (await control('calls', 'GET')).counts['token:refresh_token'] ?? 0;
  await control('expire-access-tokens');
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      fetch(`${instances[i % 3]}/api/tasks/${taskId}/sfdc/proxy/${LIMITS}`, { headers: { authorization: `Bearer ${apiToken}` } }).then(
        (r) => r.status,
        () => 0,
      ),
    ),
  );
  const after = (await control('calls', 'GET')).counts['token:refresh_token'] ?? 0;
  return { calls: 300, instances: 3, refreshesAtEmulator: after - before, failures: statuses.filter((s) => s !== 200).length, durationMs: Math.round(performance.now() - started) };
}

function summarize(
  phases: Phase[],
  throughput: Record<string, LoadResult[]>,
  single: Record<string, { p50Ms: number; p99Ms: number }[]>,
  storm: Awaited<ReturnType<typeof refreshStorm>>,
  startup: Awaited<ReturnType<typeof measureStartup>>,
) {
  const byPhase = Object.fromEntries(
    phases.map((p) => [
      p.key,
      {
        name: p.name,
        requestsPerSecond: median(throughput[p.key].map((r) => r.requestsPerSecond)),
        p50Ms: median(throughput[p.key].map((r) => r.p50Ms)),
        p99Ms: median(throughput[p.key].map((r) => r.p99Ms)),
        errors: throughput[p.key].reduce((n, r) => n + r.errors + r.non2xx, 0),
        oneConnectionP50Ms: median(single[p.key].map((r) => r.p50Ms)),
        oneConnectionP99Ms: median(single[p.key].map((r) => r.p99Ms)),
        rounds: throughput[p.key].map((r) => r.requestsPerSecond),
      },
    ]),
  );
  const ratio = (x: string, y: string) => Math.round((byPhase[x].requestsPerSecond / byPhase[y].requestsPerSecond) * 100) / 100;
  return {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    settings: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, sequentialCalls: SEQUENTIAL },
    phases: byPhase,
    ratios: { cOverB: ratio('c', 'b'), cOverA: ratio('c', 'a'), dOverB: ratio('d', 'b') },
    addedLatencyAtOneConnectionP50Ms: { c: round3(byPhase.c.oneConnectionP50Ms - byPhase.a.oneConnectionP50Ms), d: round3(byPhase.d.oneConnectionP50Ms - byPhase.a.oneConnectionP50Ms) },
    refreshStorm: storm,
    startup,
    targets: {
      cKeepsSevenTenthsOfB: ratio('c', 'b') >= 0.7,
      addsUnderTwoMsAtP50: byPhase.c.oneConnectionP50Ms - byPhase.a.oneConnectionP50Ms < 2,
      stormOneRefreshNoFailure: storm.refreshesAtEmulator === 1 && storm.failures === 0,
      restingMemoryUnder150Mb: startup.restingRssMb < 150,
    },
  };
}

function printReport(f: ReturnType<typeof summarize> & { soak: SoakFigures; healthRound: HealthRoundFigures }): void {
  console.log('\nphase                                  req/s   p50 ms   p99 ms  errors   1-conn p50   1-conn p99');
  for (const [key, p] of Object.entries(f.phases)) {
    console.log(
      `(${key}) ${p.name.padEnd(33)} ${String(p.requestsPerSecond).padStart(7)} ${String(p.p50Ms).padStart(8)} ${String(p.p99Ms).padStart(8)} ${String(p.errors).padStart(7)} ${p.oneConnectionP50Ms.toFixed(3).padStart(12)} ${p.oneConnectionP99Ms.toFixed(3).padStart(12)}`,
    );
  }
  console.log(`\n(c)/(b) throughput ${f.ratios.cOverB}   (c)/(a) ${f.ratios.cOverA}   (d)/(b) ${f.ratios.dOverB}`);
  console.log(`added at one connection, p50: (c) ${f.addedLatencyAtOneConnectionP50Ms.c} ms, (d) ${f.addedLatencyAtOneConnectionP50Ms.d} ms`);
  console.log(
    `(e) refresh storm: ${f.refreshStorm.calls} calls over ${f.refreshStorm.instances} instances → ${f.refreshStorm.refreshesAtEmulator} refresh(es) at the emulator, ${f.refreshStorm.failures} failures, ${f.refreshStorm.durationMs} ms`,
  );
  console.log(`(f) npm start (cold, with build) ${f.startup.npmStartColdMs} ms; warm start ${f.startup.warmStartMs} ms; node RSS at rest ${f.startup.restingRssMb} MB`);
  console.log(
    `(g) soak: ${f.soak.requests} requests (${f.soak.requestsPerSecond}/s) in ${f.soak.seconds} s at ${f.soak.connections} connections, ${f.soak.non2xx} non-2xx, ${f.soak.errors} errors; ${f.soak.tokenExpiries} expiries → ${f.soak.refreshesAtEmulator} refreshes; RSS ${f.soak.rssMb.start} → ${f.soak.rssMb.middle} → ${f.soak.rssMb.end} MB`,
  );
  const h = f.healthRound;
  console.log(
    `(h) health round: ${h.connections} connections over ${h.instances} instances checked in ${h.durationMs} ms (${h.checksPerSecond}/s); Salesforce calls: ${h.salesforceCalls.identity} identity, ${h.salesforceCalls.refresh} refresh; ${h.reconnectNeeded} found dead; PostgreSQL: ${h.database.transactions} transactions (${h.database.perCheck.transactions}/check), ${h.database.rowsUpdated} rows updated (${h.database.perCheck.rowsUpdated}/check), ${h.database.rowsInserted} inserted, ${h.database.rowsRead} read`,
  );
  console.log(
    'targets:',
    Object.entries(f.targets)
      .map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`)
      .join('; '),
  );
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

main().catch((err: unknown) => {
  console.error('bench failed:', err);
  process.exit(1);
});
