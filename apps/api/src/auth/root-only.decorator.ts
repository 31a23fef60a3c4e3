import { SetMetadata } from '@nestjs/common';

export const ROOT_ONLY = 'caravan:root-only';

/** Routes that manage projects and their keys: only the root key may call them. */
export const RootOnly = () => SetMetadata(ROOT_ONLY, true);
