import * as path from 'node:path';

/**
 * Environment that preloads network-guard-preload into a child process: its outgoing connects are
 * printed, only loopback is reachable, and only `localhost` resolves.
 */
export function networkGuardEnv(): Record<string, string> {
  return { NODE_OPTIONS: `--require ${path.join(__dirname, 'network-guard-preload.js')}` };
}

/** The connects a guarded process attempted, from its output. */
export function attemptedConnections(output: string): { host: string; port: number }[] {
  return [...output.matchAll(/^\[network-guard\] connect (\S+) (\d+)$/gm)].map((match) => ({
    host: match[1],
    port: Number(match[2]),
  }));
}
