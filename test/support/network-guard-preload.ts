// Default imports are the modules' own objects, whose functions can be replaced (a namespace import is a read-only copy).
import dns from 'node:dns';
import net from 'node:net';

/**
 * Preloaded (see networkGuardEnv in network-guard.ts) into a process
 * under test that opens outgoing connections, to hold the test network rule: traffic to loopback
 * only. Every outgoing TCP connect is printed to stderr as `[network-guard] connect <host> <port>`,
 * so a suite can show what was and was not attempted; a connect to any other address is refused
 * here without touching the network. Name lookups answer only `localhost` (from /etc/hosts) and literal addresses:
 * any other name fails with ENOTFOUND, so no DNS query leaves the machine.
 */
function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  const lower = host.toLowerCase();
  return lower === '::1' || lower.startsWith('::ffff:127.');
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: any[]) {
  // net.connect() passes its already-normalized [options, callback] as the first argument.
  const options = Array.isArray(args[0])
    ? args[0][0]
    : typeof args[0] === 'object'
      ? args[0]
      : { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options && !options.path) {
    const host: string = options.host ?? 'localhost';
    process.stderr.write(`[network-guard] connect ${host} ${options.port}\n`);
    if (!isLoopback(host)) {
      process.nextTick(() =>
        this.destroy(
          Object.assign(new Error(`[network-guard] refused a connection to ${host}`), {
            code: 'ENETUNREACH',
          }),
        ),
      );
      return this;
    }
  }
  return originalConnect.apply(this, args as any);
} as any;

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(
    new Error(`getaddrinfo ENOTFOUND ${hostname} ([network-guard]: only localhost resolves in tests)`),
    {
      code: 'ENOTFOUND',
      hostname,
    },
  );
}

const originalLookup = dns.lookup;
(dns as any).lookup = function guardedLookup(hostname: string, ...rest: any[]) {
  if (hostname === 'localhost' || net.isIP(hostname))
    return (originalLookup as any).call(dns, hostname, ...rest);
  const callback = rest[rest.length - 1];
  process.nextTick(() => callback(notFound(hostname)));
};

const originalPromiseLookup = dns.promises.lookup;
(dns.promises as any).lookup = async function guardedPromiseLookup(hostname: string, options?: any) {
  if (hostname === 'localhost' || net.isIP(hostname))
    return (originalPromiseLookup as any).call(dns.promises, hostname, options);
  throw notFound(hostname);
};
