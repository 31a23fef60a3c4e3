export * from './queue-names';
export * from './job-queue';
export * from './job-handler';
export * from './queue.module';
export * from './queue-workers';
export * from './in-process-job-queue';
export * from './redis-connection';
export * from './redis-connection.provider';
