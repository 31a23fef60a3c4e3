import { lookup } from 'node:dns/promises';

/** Every address a name resolves to. */
export type LookupAll = (name: string) => Promise<string[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every address in the order it gave them. */
export const systemLookup: LookupAll = async (name) =>
  (await lookup(name, { all: true, verbatim: true })).map((entry) => entry.address);

export class UnresolvableHost extends Error {
  constructor(
    readonly host: string,
    readonly why: string,
  ) {
    super(`cannot resolve ${host}: ${why}`);
    this.name = 'UnresolvableHost';
  }
}

/**
 * Resolves names for the egress check, with static entries that win over the system resolver,
 * like a hosts file of the proxy's own (names are matched lower-case, without trailing dot).
 */
export class HostResolver {
  private readonly staticHosts: ReadonlyMap<string, string[]>;

  constructor(
    staticHosts: Record<string, string[]> = {},
    private readonly lookupAll: LookupAll = systemLookup,
    private readonly timeoutMs = 5_000,
  ) {
    this.staticHosts = new Map(
      Object.entries(staticHosts).map(([name, addresses]) => [
        name.toLowerCase().replace(/\.$/, ''),
        addresses,
      ]),
    );
  }

  /** Throws UnresolvableHost when the name has no address or the resolver fails or takes too long. */
  async resolve(name: string): Promise<string[]> {
    const fixed = this.staticHosts.get(name);
    if (fixed) return [...fixed];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new UnresolvableHost(name, `no answer in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      const addresses = await Promise.race([this.lookupAll(name), timeout]);
      if (addresses.length === 0) throw new UnresolvableHost(name, 'no address');
      return [...new Set(addresses)];
    } catch (error) {
      if (error instanceof UnresolvableHost) throw error;
      throw new UnresolvableHost(name, (error as NodeJS.ErrnoException).code ?? String(error));
    } finally {
      clearTimeout(timer);
    }
  }
}
