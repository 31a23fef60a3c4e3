import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { IdempotencyWindowAndEndpointDisabling1763990000000 } from './1763990000000-idempotency-window-and-endpoint-disabling';
import { EndpointClientCertificates1764050000000 } from './1764050000000-endpoint-client-certificates';
import { Sources1764100000000 } from './1764100000000-sources';
import { SearchIndexes1764210000000 } from './1764210000000-search-indexes';

/** Every migration, in order. Listed explicitly so the build needs no file globbing. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  IdempotencyWindowAndEndpointDisabling1763990000000,
  EndpointClientCertificates1764050000000,
  Sources1764100000000,
  SearchIndexes1764210000000,
];
