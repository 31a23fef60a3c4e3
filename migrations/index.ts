import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { IdempotencyWindowAndEndpointDisabling1763990000000 } from './1763990000000-idempotency-window-and-endpoint-disabling';

/** Every migration, in order. Listed explicitly so the build needs no file globbing. */
export const MIGRATIONS = [InitialSchema1763900000000, IdempotencyWindowAndEndpointDisabling1763990000000];
