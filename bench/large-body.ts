import { residentMegabytes } from './processes';

export interface LargeBodyFigures {
  megabytes: number;
  rounds: number;
  /** Median rate of a download straight from the emulator, through the bare hop, and through the product's proxy. */
  megabytesPerSecond: { direct: number; bareHop: number; proxy: number };
  proxyOverBareHop: number;
  /** The app's resident memory before the proxied downloads, and its highest while they ran. */
  appRssMb: { before: number; peak: number; growth: number };
}

/**
 * Large bodies: a file of `megabytes` downloaded (read and dropped) straight from the emulator,
 * through the bare hop and through the proxy, interleaved over `rounds`; the app's memory is
 * sampled every 50 ms while it streams.
 */
export async function measureLargeBody(options: {
  megabytes: number;
  rounds: number;
  appPid: number;
  urls: { direct: string; bareHop: string; proxy: string };
  headers: { direct: Record<string, string>; bareHop: Record<string, string>; proxy: Record<string, string> };
}): Promise<LargeBodyFigures> {
  const rates: Record<'direct' | 'bareHop' | 'proxy', number[]> = { direct: [], bareHop: [], proxy: [] };
  const before = residentMegabytes(options.appPid);
  let peak = before;
  for (let round = 0; round < options.rounds; round++) {
    for (const key of ['direct', 'bareHop', 'proxy'] as const) {
      const sampling = key === 'proxy' ? setInterval(() => (peak = Math.max(peak, residentMegabytes(options.appPid))), 50) : undefined;
      try {
        rates[key].push(await download(options.urls[key], options.headers[key], options.megabytes));
      } finally {
        clearInterval(sampling);
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const megabytesPerSecond = { direct: median(rates.direct), bareHop: median(rates.bareHop), proxy: median(rates.proxy) };
  return {
    megabytes: options.megabytes,
    rounds: options.rounds,
    megabytesPerSecond,
    proxyOverBareHop: Math.round((megabytesPerSecond.proxy / megabytesPerSecond.bareHop) * 100) / 100,
    appRssMb: { before, peak, growth: Math.round((peak - before) * 10) / 10 },
  };
}

/** Downloads a URL, counting and dropping its bytes; answers MB/s. */
async function download(url: string, headers: Record<string, string>, expectedMegabytes: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
  if (size !== expectedMegabytes * 1024 * 1024) throw new Error(`${url} sent ${size} bytes, not ${expectedMegabytes} MB`);
  return Math.round((size / 1024 / 1024 / ((performance.now() - started) / 1000)) * 10) / 10;
}
