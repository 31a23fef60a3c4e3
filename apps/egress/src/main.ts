import { ConfigError, loadConfig } from '@caravan/common';
import { egressGuardFrom, InvalidEgressSetting } from '@caravan/egress';
import { EgressProxyServer } from './egress-proxy-server';
import { ProxyAuthorization } from './proxy-authorization';

// Kubernetes waits 30 s by default between SIGTERM and SIGKILL; finish well inside that.
const SHUTDOWN_GRACE_MS = 5_000;

/** `npm run start:egress`: the egress proxy that applies the SSRF policy to every outgoing request. */
async function main(): Promise<void> {
  // The proxy never touches stored secrets: it is the one process facing strangers' URLs, so it is not given the key.
  const config = loadConfig(undefined, { usesEncryptionKey: false });
  const { egress } = config;
  const proxy = new EgressProxyServer({
    guard: egressGuardFrom(egress),
    authorization: new ProxyAuthorization(egress.proxyToken),
    logAllowed: config.logLevel === 'info' || config.logLevel === 'debug',
  });
  const { address, port } = await proxy.listen(egress.port, config.host);
  const host = address.includes(':') ? `[${address}]` : address;
  console.log(`Caravan egress proxy listening on http://${host}:${port}`);
  console.log(
    `allow-listed: ${[...egress.allowCidrs, ...egress.allowHosts].join(', ') || 'nothing'}; ` +
      `ports: ${egress.allowedPorts === 'any' ? 'any' : egress.allowedPorts.join(', ')}; ` +
      `proxy authentication: ${egress.proxyToken ? 'required' : 'off'}`,
  );

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      void proxy.close(SHUTDOWN_GRACE_MS).then(() => {
        console.log('Caravan egress proxy stopped');
        process.exit(0);
      });
    });
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof InvalidEgressSetting ? error.message : error,
  );
  process.exit(1);
});
