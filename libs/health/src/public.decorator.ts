import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'caravan:public';

/** Marks a controller or route as reachable without an API key. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
