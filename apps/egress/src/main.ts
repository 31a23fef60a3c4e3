import { ConfigError, loadConfig } from '@caravan/common';
import { createServer } from 'node:http';

/**
 * Placeholder for the egress proxy (CONNECT with SSRF policy), which lands in its own issue.
 * It answers its health probe and refuses to proxy, so nothing is sent unchecked.
 */
function main(): void {
  const config = loadConfig();
  const server = createServer((request, response) => {
    const live = request.url === '/health/live' || request.url === '/health/ready';
    response.writeHead(live ? 200 : 501, { 'content-type': 'application/json' });
    response.end(JSON.stringify(live ? { status: 'ok' } : { status: 501, error: 'Not Implemented', message: 'the egress proxy is not implemented yet' }));
  });
  server.on('connect', (_request, socket) => socket.end('HTTP/1.1 501 Not Implemented\r\n\r\n'));
  server.listen(config.egress.port, config.host, () => console.log(`Caravan egress placeholder on ${config.host}:${config.egress.port}`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
}

try {
  main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
