import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../platform/errors';

export class WebhookUrlNotAllowedError extends AppError {
  readonly status = 400;
  readonly code = 'webhook_url_not_allowed';
}

/** Resolves a host name to all its addresses (injectable: tests cannot make real DNS answers change). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** Addresses a webhook may never reach: this machine, private networks, link-local (cloud metadata), and the like. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, where cloud metadata services answer
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
// (IPv4-mapped IPv6 addresses are unwrapped and judged by the IPv4 rules: Node's BlockList would
// match every IPv4 address against a ::ffff:0:0/96 rule.)
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]);
  const family = isIP(address);
  if (!family) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Where webhooks may go (SSRF defence): https to a host that resolves to public addresses only,
 * checked when the URL is saved and again at every delivery, at the moment of connecting (so a
 * DNS answer that changed, or rebinding between a check and the connection, cannot reach this
 * machine or a private network). Hosts matching WEBHOOK_ALLOWED_HOSTS (`host:port`, `host:*`) are
 * exempt: in development, this machine.
 */
export class WebhookUrlPolicy {
  private readonly allowed: { host: string; port: string }[];

  constructor(
    allowedHosts: string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.allowed = allowedHosts.map((pattern) => {
      const [host, port] = pattern.toLowerCase().split(':');
      return { host, port: port ?? '' };
    });
  }

  /** @throws WebhookUrlNotAllowedError saying why. */
  async check(value: string): Promise<URL> {
    const url = this.parse(value);
    if (this.isAllowedHost(url)) return url;
    await this.publicAddressOf(url.hostname);
    return url;
  }

  /** A `lookup` for node:http that connects only to an address the policy accepts, whatever DNS answers now. */
  lookupFor(url: URL): LookupFunction | undefined {
    if (this.isAllowedHost(url)) return undefined;
    return (hostname, options, callback) => {
      this.publicAddressOf(hostname).then(
        (address) => {
          const all = (options as { all?: boolean }).all;
          if (all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [address]);
          else callback(null, address.address, address.family);
        },
        (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
      );
    };
  }

  private parse(value: string): URL {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new WebhookUrlNotAllowedError('The webhook URL is not a valid URL');
    }
    if (url.username || url.password) throw new WebhookUrlNotAllowedError('The webhook URL must not carry credentials');
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.isAllowedHost(url))) throw new WebhookUrlNotAllowedError('The webhook URL must use https');
    return url;
  }

  private isAllowedHost(url: URL): boolean {
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.allowed.some((pattern) => pattern.host === host && (pattern.port === '*' || pattern.port === port || (pattern.port === '' && !url.port)));
  }

  /** The first address of the host, when every address it resolves to is public. */
  private async publicAddressOf(hostname: string): Promise<{ address: string; family: number }> {
    const host = hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string; family: number }[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        throw new WebhookUrlNotAllowedError(`The webhook host ${host.slice(0, 100)} does not resolve`);
      }
    }
    if (!addresses.length || !addresses.every((a) => isPublicAddress(a.address))) {
      throw new WebhookUrlNotAllowedError('The webhook URL must resolve to a public address (not this machine, a private network or a link-local address)');
    }
    return addresses[0];
  }
}
