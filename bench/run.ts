import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../backend/src/platform/free-port';
import { connect } from 'salesforce-emulator/testing';
import { connectTask } from './connect-task';
import type { Emulator } from 'salesforce-emulator';
import { startCluster, type Cluster } from './cluster';
import { measureHealthRound, type HealthRoundFigures } from './health-round';
import { load, median, type LoadResult } from './load';
import { REPO_ROOT, residentMegabytes, run } from './processes';
import { cpuPerRequest } from './cpu';
import { measureLargeBody, type LargeBodyFigures } from './large-body';
import { measurePaging, type PagingFigures } from './paging';
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
const LARGE_BODY_MB = Number(process.env.BENCH_LARGE_BODY_MB ?? 200);
const LIMITS = 'services/data/v62.0/limits';

interface Phase {
  key: 'a' | 'b' | 'c' | 'd';
  name: string;
  url: string;
  headers: Record<string, string>;
}

async function main(): Promise<void> {
  console.log('Building what changed …');
  await run('npm', ['run', 'build']);
  console.log('(f) start-up (npm start, first after install, then again) and memory at rest …');
  const startup = await measureStartup();

  const cluster = await startCluster();
  try {
    const app = await cluster.startApp();
    const { taskId, apiToken, sessionCookie, userId } = await connectTask(app.url);
    const direct = await connect({ loginUrl: cluster.emulatorLoginUrl } as Emulator);
    const hop = await startBareHop(cluster.emulatorInstanceUrl);
    const appRssBeforeLoadMb = residentMegabytes(app.pid);
    const pids: Record<string, number | undefined> = { a: undefined, b: hop.pid, c: app.pid, d: app.pid };
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
      for (const phase of phases) {
        const run = () => load(phase.url, { connections: CONNECTIONS, seconds: SECONDS, headers: phase.headers });
        const pid = pids[phase.key];
        throughput[phase.key].push(pid ? await cpuPerRequest(pid, run) : await run());
      }
      for (const phase of phases) single[phase.key].push(await sequentialLatency(phase.url, { count: SEQUENTIAL, headers: phase.headers }));
    }

    console.log(`(i) large body: ${LARGE_BODY_MB} MB downloaded straight, through the bare hop and through the proxy …`);
    const bigFile = await createFile(cluster, LARGE_BODY_MB);
    const largeBody = await measureLargeBody({
      megabytes: LARGE_BODY_MB,
      rounds: ROUNDS,
      appPid: app.pid,
      urls: { direct: `${cluster.emulatorInstanceUrl}/${bigFile.path}`, bareHop: `${hop.url}/${bigFile.path}`, proxy: `${app.url}/api/tasks/${taskId}/sfdc/proxy/${bigFile.path}` },
      headers: { direct: salesforceAuth, bareHop: salesforceAuth, proxy: { authorization: `Bearer ${apiToken}` } },
    });
    hop.stop();

    console.log('(e) refresh storm: 3 instances, 300 concurrent proxied calls on an expired token …');
    const storm = await refreshStorm(cluster, [app.url, (await cluster.startApp()).url, (await cluster.startApp()).url], taskId, apiToken);

    console.log('(g) soak: 20 s at 50 connections, UI calls and proxied calls mixed, tokens expired every 3 s …');
    const soakFigures = await soak({ appUrl: app.url, pid: app.pid, taskId, apiToken, sessionCookie, controlUrl: `${cluster.emulatorLoginUrl}/__emulator` });

    console.log(`(h) one round of background health checks over ${HEALTH_CONNECTIONS} connections, 3 instances …`);
    const healthRound = await measureHealthRound(cluster, { connections: HEALTH_CONNECTIONS, instances: 3, ownerId: userId });

    const restingAfterLoad = await settledMemory(app.pid);
    const restingAfterLoadRssMb = restingAfterLoad.settledMb;

    console.log('(j) paging: a page of 50 out of 100,000 Tasks of one user, first, deep and searched …');
    const paging = await measurePaging({ appUrl: app.url, databaseUrl: cluster.databaseUrl });

    const summary = summarize(phases, throughput, single, storm, startup, largeBody, restingAfterLoadRssMb);
    // A page of 50 out of 100,000 in under 5 ms: the app's query for the list's pages (searches are reported beside them).
    const pagingUnder5Ms = paging.cases.filter((c) => !/^search/.test(c.name)).every((c) => c.sqlMs.p50 < 5);
    const figures = { ...summary, appRssBeforeLoadMb, restingAfterLoad, targets: { ...summary.targets, pagingUnder5Ms }, soak: soakFigures, healthRound, paging };
    printReport(figures);
    const file = path.join(REPO_ROOT, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(figures, null, 2) + '\n');
    console.log(`\nFigures written to ${path.relative(REPO_ROOT, file)}`);
  } finally {
    await cluster.stop();
  }
}

async function startBareHop(target: string): Promise<{ url: string; pid: number; stop(): void }> {
  const port = await findFreePort();
  const child = fork(path.join(__dirname, 'bare-hop.mjs'), [String(port), target], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill() };
}

/** A file at the emulator (ContentVersion VersionData) of `megabytes`. */
async function createFile(cluster: Cluster, megabytes: number): Promise<{ path: string }> {
  const res = await fetch(`${cluster.emulatorLoginUrl}/__emulator/files`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ size: megabytes * 1024 * 1024 }) });
  if (res.status !== 201) throw new Error(`creating a file at the emulator answered ${res.status}`);
  return (await res.json()) as { path: string };
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
  throughput: Record<string, (LoadResult & { cpuMsPerRequest?: number })[]>,
  single: Record<string, { p50Ms: number; p99Ms: number }[]>,
  storm: Awaited<ReturnType<typeof refreshStorm>>,
  startup: Awaited<ReturnType<typeof measureStartup>>,
  largeBody: LargeBodyFigures,
  restingAfterLoadRssMb: number,
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
        /** CPU time of the process in the middle (the hop's for b, the app's for c and d) per call. */
        cpuMsPerRequest: p.key === 'a' ? null : median(throughput[p.key].map((r) => r.cpuMsPerRequest ?? NaN)),
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
    largeBody,
    restingAfterLoadRssMb,
    targets: {
      cKeepsSevenTenthsOfB: ratio('c', 'b') >= 0.7,
      dKeepsHalfOfB: ratio('d', 'b') >= 0.5,
      cCpuAtMostFourTenthsMs: (byPhase.c.cpuMsPerRequest ?? Infinity) <= 0.4,
      addsUnderOneMsAtP50: byPhase.c.oneConnectionP50Ms - byPhase.a.oneConnectionP50Ms < 1,
      stormOneRefreshNoFailure: storm.refreshesAtEmulator === 1 && storm.failures === 0,
      warmStartUnderThreeSeconds: startup.warmStartMs < 3000,
      oneNodeProcessAfterStart: startup.processes.filter((p) => !/^npm /.test(p.command)).length === 1,
      largeBodyAtEightTenthsOfHop: largeBody.proxyOverBareHop >= 0.8,
      largeBodyGrowsUnder50Mb: largeBody.appRssMb.growth < 50,
      restingMemoryUnder150Mb: startup.restingRssMb < 150 && restingAfterLoadRssMb < 150,
    },
  };
}

/**
 * The app's memory once idle: V8 keeps the heap it grew under load until its memory reducer runs
 * (some 20–30 s without work), so "at rest" is the lowest of 5-second samples over 45 idle seconds.
 */
async function settledMemory(pid: number): Promise<{ settledMb: number; samplesMb: number[] }> {
  const samplesMb = [residentMegabytes(pid)];
  for (let i = 0; i < 9; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    samplesMb.push(residentMegabytes(pid));
  }
  return { settledMb: Math.min(...samplesMb), samplesMb };
}

function printReport(
  f: ReturnType<typeof summarize> & {
    appRssBeforeLoadMb: number;
    restingAfterLoad: { settledMb: number; samplesMb: number[] };
    soak: SoakFigures;
    healthRound: HealthRoundFigures;
    paging: PagingFigures;
  },
): void {
  console.log('\nphase                                  req/s   p50 ms   p99 ms  errors   1-conn p50   1-conn p99   CPU ms/call');
  for (const [key, p] of Object.entries(f.phases)) {
    console.log(
      `(${key}) ${p.name.padEnd(33)} ${String(p.requestsPerSecond).padStart(7)} ${String(p.p50Ms).padStart(8)} ${String(p.p99Ms).padStart(8)} ${String(p.errors).padStart(7)} ${p.oneConnectionP50Ms.toFixed(3).padStart(12)} ${p.oneConnectionP99Ms.toFixed(3).padStart(12)} ${(p.cpuMsPerRequest === null ? '' : p.cpuMsPerRequest.toFixed(3)).padStart(13)}`,
    );
  }
  console.log(`\n(c)/(b) throughput ${f.ratios.cOverB}   (c)/(a) ${f.ratios.cOverA}   (d)/(b) ${f.ratios.dOverB}`);
  console.log(`added at one connection, p50: (c) ${f.addedLatencyAtOneConnectionP50Ms.c} ms, (d) ${f.addedLatencyAtOneConnectionP50Ms.d} ms`);
  console.log(
    `(e) refresh storm: ${f.refreshStorm.calls} calls over ${f.refreshStorm.instances} instances → ${f.refreshStorm.refreshesAtEmulator} refresh(es) at the emulator, ${f.refreshStorm.failures} failures, ${f.refreshStorm.durationMs} ms`,
  );
  console.log(
    `(f) npm start, first after install (builds all) ${f.startup.npmStartColdMs} ms; again, nothing changed ${f.startup.warmStartMs} ms; serving node RSS at rest ${f.startup.restingRssMb} MB`,
  );
  console.log(`    processes after npm start: ${f.startup.processes.map((p) => `${p.command.slice(0, 40)} (${p.rssMb} MB)`).join('; ')}`);
  const l = f.largeBody;
  console.log(
    `(i) ${l.megabytes} MB download: straight ${l.megabytesPerSecond.direct} MB/s, bare hop ${l.megabytesPerSecond.bareHop} MB/s, proxy ${l.megabytesPerSecond.proxy} MB/s (${l.proxyOverBareHop}× the hop); app RSS ${l.appRssMb.before} → peak ${l.appRssMb.peak} MB (+${l.appRssMb.growth})`,
  );
  console.log(
    `    app RSS before the load phases ${f.appRssBeforeLoadMb} MB; after them (load, large bodies, storm, soak, health round): ${f.restingAfterLoad.samplesMb[0]} MB, at rest ${f.restingAfterLoad.settledMb} MB (idle samples every 5 s: ${f.restingAfterLoad.samplesMb.join(', ')})`,
  );
  console.log(
    `(g) soak: ${f.soak.requests} requests (${f.soak.requestsPerSecond}/s) in ${f.soak.seconds} s at ${f.soak.connections} connections, ${f.soak.non2xx} non-2xx, ${f.soak.errors} errors; ${f.soak.tokenExpiries} expiries → ${f.soak.refreshesAtEmulator} refreshes; RSS ${f.soak.rssMb.start} → ${f.soak.rssMb.middle} → ${f.soak.rssMb.end} MB`,
  );
  const h = f.healthRound;
  console.log(
    `(h) health round: ${h.connections} connections over ${h.instances} instances checked in ${h.durationMs} ms (${h.checksPerSecond}/s); Salesforce calls: ${h.salesforceCalls.identity} identity, ${h.salesforceCalls.refresh} refresh; ${h.reconnectNeeded} found dead; PostgreSQL: ${h.database.transactions} transactions (${h.database.perCheck.transactions}/check), ${h.database.rowsUpdated} rows updated (${h.database.perCheck.rowsUpdated}/check), ${h.database.rowsInserted} inserted, ${h.database.rowsRead} read`,
  );
  console.log(`(j) paging over ${f.paging.tasks} Tasks (inserted in ${f.paging.insertMs} ms): page of 50, query p50/p95 ms (HTTP p50/p95 ms)`);
  for (const c of f.paging.cases) {
    console.log(`    ${c.name.padEnd(36)} ${c.sqlMs.p50}/${c.sqlMs.p95} (${c.httpMs.p50}/${c.httpMs.p95})${c.matches === undefined ? '' : `, ${c.matches} matches`}`);
  }
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
