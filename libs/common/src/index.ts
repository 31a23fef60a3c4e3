export * from './config/caravan-config';
export * from './config/config.module';
export * from './config/log-levels';
export * from './errors/domain-errors';
export * from './ids/id';
export * from './pagination/page';
export * from './retry/retry-config';
export * from './defined-fields';
