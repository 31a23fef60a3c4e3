export * from './database.module';
export * from './data-source-options';
export * from './migration-runner';
export * from './infrastructure.module';
export * from './embedded/embedded-postgres';
export * from './embedded/data-dir-lock';
export * from './replica-reads';
