import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A service that subscribes to our webhooks, on a loopback address: it records every request and
 * answers as the test says (200 by default; a status, or never, per request number).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** How to answer the n-th request (0-based); past the list: 200. `hang` never answers. */
  answers: (number | 'hang')[] = [];
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(host = '127.0.0.1'): Promise<WebhookReceiver> {
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const index = self.received.push({ headers: req.headers, body, at: Date.now() }) - 1;
        const answer = self.answers[index] ?? 200;
        if (answer === 'hang') return void self.hanging.add(res);
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : 'not now');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const self = new WebhookReceiver(server, `http://${host}:${(server.address() as AddressInfo).port}/hook`);
    return self;
  }

  /** The received payloads whose signature verifies with `secret` (throws on any that does not). */
  verified(secret: string): { id: string; type: string; data: Record<string, unknown> }[] {
    const webhook = new Webhook(secret);
    return this.received.map((r) => {
      const payload = webhook.verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
      return { id: String(r.headers['webhook-id']), type: payload.type, data: payload.data };
    });
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
