import { CaravanConfig } from '@caravan/common';
import type { ClientCertificate } from '@caravan/endpoints';
import { EgressBlockedError, EgressGuard } from '@caravan/egress';
import { isIP } from 'node:net';
import { Agent, buildConnector, Dispatcher, ProxyAgent } from 'undici';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The connection pool deliveries go out through. With CARAVAN_EGRESS_PROXY_URL, every request is
 * tunnelled through the egress proxy, which applies the SSRF policy. Without it, the same policy
 * runs here at connect time: the name is resolved once, every address is checked, and the socket
 * goes to a checked address, so a second DNS answer (rebinding) cannot slip through.
 */
export function createDeliveryDispatcher(
  config: CaravanConfig,
  guard: EgressGuard,
  certificate: ClientCertificate | null,
): Dispatcher {
  const tls = certificate ? { cert: certificate.cert, key: certificate.key } : {};
  const pool = { keepAliveTimeout: 10_000, connections: certificate ? 16 : 128 };
  const { proxyUrl, proxyToken } = config.egress;
  if (proxyUrl) {
    return new ProxyAgent({
      uri: proxyUrl,
      token: proxyToken ? `Bearer ${proxyToken}` : undefined,
      requestTls: tls,
      ...pool,
    });
  }
  return new Agent({ ...pool, connect: guardedConnector(guard, tls) });
}

function guardedConnector(guard: EgressGuard, tls: { cert?: string; key?: string }): buildConnector.connector {
  const connect = buildConnector({ timeout: CONNECT_TIMEOUT_MS, ...tls });
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    const name = options.hostname.replace(/^\[|\]$/g, '');
    guard.checkDestination(name, port).then(
      (decision) => {
        if (!decision.allowed) return callback(new EgressBlockedError(decision.reason), null);
        // Connect to the address that was checked; the certificate is still checked against the name.
        const servername = options.servername ?? (isIP(name) ? undefined : name);
        connect({ ...options, hostname: decision.addresses[0], servername }, callback);
      },
      (error: Error) => callback(error, null),
    );
  };
}
