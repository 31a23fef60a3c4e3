import { Injectable, OnModuleInit } from '@nestjs/common';
import { caravanMetrics } from '@caravan/common';
import { BreakerStore, notClosedCounts } from '../circuit-breaker/breaker-store';

/** Feeds the open-breakers gauge from the breaker store when Prometheus scrapes. */
@Injectable()
export class BreakerMetrics implements OnModuleInit {
  constructor(private readonly store: BreakerStore) {}

  onModuleInit(): void {
    caravanMetrics.breakersOpen.sampleWith(async () => {
      const counts = notClosedCounts(await this.store.all(), Date.now());
      return [
        { labels: { state: 'open' }, value: counts.open },
        { labels: { state: 'half_open' }, value: counts.half_open },
      ];
    });
  }
}
