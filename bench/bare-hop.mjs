// The bare pass-through hop of `npm run bench` phase (b): a few lines of node:http, no auth, no
// database, keep-alive to the target. The limit of adding any proxy on this machine.
import http from 'node:http';

const [port, target] = [Number(process.argv[2]), new URL(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

http
  .createServer((req, res) => {
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  })
  .listen(port, '127.0.0.1', () => process.send?.('ready'));
