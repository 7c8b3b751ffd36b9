import http from 'node:http';

/**
 * Latency at one connection, without queueing: `count` GETs one after another over one
 * keep-alive connection, timed with performance.now() (autocannon's histogram has whole-ms
 * resolution, too coarse for "under 2 ms added").
 */
export async function sequentialLatency(url: string, options: { count: number; headers?: Record<string, string> }): Promise<{ p50Ms: number; p99Ms: number; failures: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const timings: number[] = [];
  let failures = 0;
  for (let i = 0; i < options.count; i++) {
    const started = performance.now();
    const status = await new Promise<number>((resolve) => {
      const req = http.get({ host: target.hostname, port: target.port, path: target.pathname + target.search, headers: options.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
    });
    timings.push(performance.now() - started);
    if (status !== 200) failures += 1;
  }
  agent.destroy();
  timings.sort((a, b) => a - b);
  const at = (q: number) => Math.round(timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] * 1000) / 1000;
  return { p50Ms: at(0.5), p99Ms: at(0.99), failures };
}
