import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '@caravan/common';
import { storedMapping, storedResponse, UpdateSourceDto } from '../../dtos/source.dto';
import { Source } from '../../entities/source.entity';
import { SourceRepository } from '../../repositories/source.repository';
import { SourceCredentials } from '../../source-credentials';
import { GetSource } from '../get-source/get-source.usecase';

@Injectable()
export class UpdateSource {
  constructor(
    private readonly sources: SourceRepository,
    private readonly getSource: GetSource,
    private readonly credentials: SourceCredentials,
  ) {}

  async execute(projectId: string, sourceId: string, command: UpdateSourceDto): Promise<Source> {
    const source = await this.getSource.execute(projectId, sourceId);
    for (const field of ['name', 'verifier'] as const) {
      if (command[field] === null) throw new InvalidInputError(`${field} cannot be null`, field);
    }
    if (command.name !== undefined) source.name = command.name;
    if (command.verifier !== undefined) source.verifier = this.credentials.sealVerifier(command.verifier);
    if (command.broker !== undefined) {
      if (source.type === 'http')
        throw new InvalidInputError('broker applies to kafka, sqs and pubsub sources only', 'broker');
      if (command.broker === null)
        throw new InvalidInputError(`a ${source.type} source needs broker.${source.type}`, 'broker');
      source.broker = this.credentials.sealBroker(source.type, command.broker);
    }
    if (command.idempotency_header !== undefined) source.idempotencyHeader = command.idempotency_header;
    if (command.response !== undefined)
      source.response = command.response ? storedResponse(command.response) : null;
    if (command.mapping !== undefined)
      source.mapping = command.mapping ? storedMapping(command.mapping) : null;
    if (command.body_limit_bytes !== undefined) source.bodyLimitBytes = command.body_limit_bytes;
    return this.sources.save(source);
  }
}
