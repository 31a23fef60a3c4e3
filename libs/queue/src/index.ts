export * from './queue-names';
export * from './job-queue';
export * from './queue.module';
export * from './redis-connection';
export * from './redis-connection.provider';
