/**
 * Which hosts may ever receive a Salesforce token or the client secret (SSRF defence): login,
 * instance and identity URLs must match a pattern of SFDC_TRUSTED_HOSTS.
 */
export class TrustedHosts {
  private readonly patterns: { host: RegExp; port?: string }[];

  constructor(patterns: string[]) {
    this.patterns = patterns.map((pattern) => {
      const [host, port] = pattern.toLowerCase().split(':');
      const isWildcard = host.startsWith('*.');
      const escaped = (isWildcard ? host.slice(2) : host).replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
      // `*.example.com` matches any subdomain depth, never the bare domain or a look-alike suffix.
      const regex = isWildcard ? `^(?:[a-z0-9-]+\\.)+${escaped}$` : `^${escaped}$`;
      return { host: new RegExp(regex), port };
    });
  }

  /**
   * True when the URL may receive credentials: https (or http on a loopback host, for local
   * Salesforce stand-ins), no user info, and a host (and port, if the pattern names one) that
   * matches a trusted pattern.
   */
  isTrusted(value: string | URL): boolean {
    let url: URL;
    try {
      url = typeof value === 'string' ? new URL(value) : value;
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    const isLoopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback)) return false;
    // Lightning UI hosts are not API hosts (a pattern Nango also refuses).
    if (/\.lightning\.force\.com$/i.test(url.hostname)) return false;
    const port = url.port;
    return this.patterns.some((p) => p.host.test(url.hostname.toLowerCase()) && (p.port === undefined || p.port === port));
  }
}
