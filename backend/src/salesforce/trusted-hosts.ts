/**
 * A list of host patterns that may receive a Salesforce token or the client secret (SSRF
 * defence). `*.example.com` matches any subdomain depth, never the bare domain or a look-alike
 * suffix; `host:port` matches that port only, `host:*` any port.
 *
 * Two lists use it: SFDC_TRUSTED_HOSTS (instance and identity URLs: a pattern without a port
 * matches any port) and SFDC_LOGIN_HOSTS (login hosts, which receive the client secret: a pattern
 * without a port matches the default https port only).
 */
export class TrustedHosts {
  private readonly patterns: { host: RegExp; port?: string }[];

  constructor(
    patterns: string[],
    private readonly options: { portlessMeans: 'any port' | 'default port' } = { portlessMeans: 'any port' },
  ) {
    this.patterns = patterns.map((pattern) => {
      const [host, port] = pattern.toLowerCase().split(':');
      const isWildcard = host.startsWith('*.');
      const escaped = (isWildcard ? host.slice(2) : host).replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
      const regex = isWildcard ? `^(?:[a-z0-9-]+\\.)+${escaped}$` : `^${escaped}$`;
      return { host: new RegExp(regex), port };
    });
  }

  /**
   * True when the URL may receive credentials: https (or http on a loopback host, for local
   * Salesforce stand-ins), no user info, and a host (and port) that matches a pattern.
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
    const hostname = url.hostname.toLowerCase();
    return this.patterns.some((p) => p.host.test(hostname) && this.portMatches(p.port, url.port));
  }

  /** `url.port` is '' for the scheme's default port. */
  private portMatches(patternPort: string | undefined, port: string): boolean {
    if (patternPort === '*') return true;
    if (patternPort !== undefined) return patternPort === port;
    return this.options.portlessMeans === 'any port' || port === '';
  }
}
