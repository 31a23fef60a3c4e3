import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '@caravan/events';
import { IngestError } from './entities/ingest-error.entity';
import { Source } from './entities/source.entity';
import { IngestErrorRepository } from './repositories/ingest-error.repository';
import { SourceRepository } from './repositories/source.repository';
import { SourceCredentials } from './source-credentials';
import { CreateSource } from './usecases/create-source/create-source.usecase';
import { DeleteSource } from './usecases/delete-source/delete-source.usecase';
import { FindBrokerSources } from './usecases/find-broker-sources/find-broker-sources.usecase';
import { FindIngestSource } from './usecases/find-ingest-source/find-ingest-source.usecase';
import { GetIngestBodyLimit } from './usecases/get-ingest-body-limit/get-ingest-body-limit.usecase';
import { GetSource } from './usecases/get-source/get-source.usecase';
import { IngestWebhook } from './usecases/ingest-webhook/ingest-webhook.usecase';
import { ListIngestErrors } from './usecases/list-ingest-errors/list-ingest-errors.usecase';
import { PersistBrokerMessage } from './usecases/consume-broker-source/persist-broker-message.usecase';
import { ListSources } from './usecases/list-sources/list-sources.usecase';
import { RecordIngestError } from './usecases/record-ingest-error/record-ingest-error.usecase';
import { UpdateSource } from './usecases/update-source/update-source.usecase';

const USE_CASES = [
  CreateSource,
  DeleteSource,
  FindBrokerSources,
  GetIngestBodyLimit,
  GetSource,
  IngestWebhook,
  ListIngestErrors,
  ListSources,
  PersistBrokerMessage,
  RecordIngestError,
  SourceCredentials,
  UpdateSource,
];

/** Steps the use cases above share; not offered outside the lib. */
const INTERNAL = [FindIngestSource];

@Module({
  imports: [TypeOrmModule.forFeature([Source, IngestError]), EventsModule],
  providers: [SourceRepository, IngestErrorRepository, ...INTERNAL, ...USE_CASES],
  exports: USE_CASES,
})
export class SourcesModule {}
