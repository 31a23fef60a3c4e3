export * from './scheduler.module';
export * from './scheduler';
export * from './scheduled-task';
