import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { IdempotencyWindowAndEndpointDisabling1763990000000 } from './1763990000000-idempotency-window-and-endpoint-disabling';
import { EndpointClientCertificates1764050000000 } from './1764050000000-endpoint-client-certificates';
import { Sources1764100000000 } from './1764100000000-sources';
import { EventTypes1764200000000 } from './1764200000000-event-types';
import { SearchIndexes1764210000000 } from './1764210000000-search-indexes';
import { SchedulerAndRetention1764220000000 } from './1764220000000-scheduler-and-retention';
import { MetaEvents1764230000000 } from './1764230000000-meta-events';
import { ConfigChangeNotifications1764240000000 } from './1764240000000-config-change-notifications';

/** Every migration, in order. Listed explicitly so the build needs no file globbing. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  IdempotencyWindowAndEndpointDisabling1763990000000,
  EndpointClientCertificates1764050000000,
  Sources1764100000000,
  EventTypes1764200000000,
  SearchIndexes1764210000000,
  SchedulerAndRetention1764220000000,
  MetaEvents1764230000000,
  ConfigChangeNotifications1764240000000,
];
