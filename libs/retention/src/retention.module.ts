import { Module } from '@nestjs/common';

/** Retention policies and purge jobs. Empty until retention lands; the agent already imports it. */
@Module({})
export class RetentionModule {}
