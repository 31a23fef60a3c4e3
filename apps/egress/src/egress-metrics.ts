export type DenialCause = 'policy' | 'unresolvable' | 'auth';

/** The proxy's counters, served at GET /metrics in the Prometheus text format. */
export class EgressMetrics {
  allowed = 0;
  readonly denied: Record<DenialCause, number> = { policy: 0, unresolvable: 0, auth: 0 };
  upstreamErrors = 0;
  openTunnels = 0;

  render(): string {
    return [
      '# HELP caravan_egress_allowed_total Proxy requests the egress policy allowed.',
      '# TYPE caravan_egress_allowed_total counter',
      `caravan_egress_allowed_total ${this.allowed}`,
      '# HELP caravan_egress_denied_total Proxy requests refused: by the egress policy, for a host that did not resolve, or for missing or wrong proxy credentials.',
      '# TYPE caravan_egress_denied_total counter',
      ...Object.entries(this.denied).map(
        ([cause, count]) => `caravan_egress_denied_total{cause="${cause}"} ${count}`,
      ),
      '# HELP caravan_egress_upstream_errors_total Allowed requests that failed to connect to or hear from the target.',
      '# TYPE caravan_egress_upstream_errors_total counter',
      `caravan_egress_upstream_errors_total ${this.upstreamErrors}`,
      '# HELP caravan_egress_open_tunnels CONNECT tunnels open now.',
      '# TYPE caravan_egress_open_tunnels gauge',
      `caravan_egress_open_tunnels ${this.openTunnels}`,
      '',
    ].join('\n');
  }
}
