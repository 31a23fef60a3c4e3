export * from './retention.module';
export * from './retention-policy';
export * from './usecases/purge-expired-data/purge-expired-data.usecase';
