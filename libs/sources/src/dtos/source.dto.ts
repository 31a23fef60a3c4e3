import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { JSON_PATH } from '../mapping/json-path';
import {
  Source,
  SOURCE_TYPES,
  SourceMapping,
  SourceResponseConfig,
  SourceType,
} from '../entities/source.entity';
import { SourceBrokerDto, SourceBrokerView } from './source-broker.dto';
import { HEADER_NAME, SourceVerifierDto, SourceVerifierView } from './source-verifier.dto';

export const MIN_SOURCE_BODY_LIMIT_BYTES = 1024;
/** The most any source may accept; the ingest route reads no more than this before a source's own limit applies. */
export const MAX_SOURCE_BODY_LIMIT_BYTES = 100 * 1024 * 1024;

const PATH_MESSAGE = (field: string) => ({
  message: `${field} must be a dotted path such as "data.object.id"`,
});

export class SourceResponseConfigDto {
  @ApiProperty({
    minimum: 200,
    maximum: 299,
    example: 200,
    description: 'A 2xx: any other status makes senders retry.',
  })
  @IsInt()
  @Min(200)
  @Max(299)
  status_code: number;

  @ApiPropertyOptional({ default: '', example: '{"received":true}' })
  @IsOptional()
  @IsString()
  @MaxLength(16 * 1024)
  body?: string;

  @ApiPropertyOptional({ default: 'text/plain; charset=utf-8', example: 'application/json' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;[^\r\n\0]*)?$/, {
    message: 'content_type must be a media type such as application/json',
  })
  content_type?: string;
}

/** Dotted paths into a JSON body (`data.object.id`). */
export class SourceMappingDto {
  @ApiPropertyOptional({
    example: 'meta.event',
    description: "The event type; over the provider's and the source name.",
  })
  @IsOptional()
  @IsString()
  @Matches(JSON_PATH, PATH_MESSAGE('event_type_path'))
  event_type_path?: string;

  @ApiPropertyOptional({ description: 'Send to this endpoint only.' })
  @IsOptional()
  @IsString()
  @Matches(JSON_PATH, PATH_MESSAGE('endpoint_id_path'))
  endpoint_id_path?: string;

  @ApiPropertyOptional({ description: "Send to this owner's endpoints whose subscriptions match." })
  @IsOptional()
  @IsString()
  @Matches(JSON_PATH, PATH_MESSAGE('owner_id_path'))
  owner_id_path?: string;

  @ApiPropertyOptional({ description: 'Used when idempotency_header is not set or not sent.' })
  @IsOptional()
  @IsString()
  @Matches(JSON_PATH, PATH_MESSAGE('idempotency_key_path'))
  idempotency_key_path?: string;
}

export class CreateSourceDto {
  @ApiProperty({ example: 'GitHub' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: SOURCE_TYPES, default: 'http', description: 'Fixed once created.' })
  @IsOptional()
  @IsIn(SOURCE_TYPES)
  type?: SourceType;

  @ApiPropertyOptional({
    type: SourceVerifierDto,
    description: 'http sources; default {"type":"none"}: the unguessable URL is the only check.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceVerifierDto)
  verifier?: SourceVerifierDto;

  @ApiPropertyOptional({
    type: String,
    example: 'X-GitHub-Delivery',
    nullable: true,
    description:
      "A request header that identifies a delivery: a repeat within the project's idempotency window is answered without a new event.",
  })
  @IsOptional()
  @IsString()
  @Matches(HEADER_NAME, { message: 'idempotency_header must be an HTTP header name' })
  idempotency_header?: string | null;

  @ApiPropertyOptional({
    type: SourceResponseConfigDto,
    nullable: true,
    description: 'What an accepted request is answered; default 200 {"status":"ok"}.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceResponseConfigDto)
  response?: SourceResponseConfigDto | null;

  @ApiPropertyOptional({
    type: SourceBrokerDto,
    description: 'kafka, sqs and pubsub sources: where to read; credentials are stored encrypted.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceBrokerDto)
  broker?: SourceBrokerDto | null;

  @ApiPropertyOptional({ type: SourceMappingDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceMappingDto)
  mapping?: SourceMappingDto | null;

  @ApiPropertyOptional({
    minimum: MIN_SOURCE_BODY_LIMIT_BYTES,
    maximum: MAX_SOURCE_BODY_LIMIT_BYTES,
    nullable: true,
    description: 'Larger bodies get 413; default CARAVAN_BODY_LIMIT_BYTES.',
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_SOURCE_BODY_LIMIT_BYTES)
  @Max(MAX_SOURCE_BODY_LIMIT_BYTES)
  body_limit_bytes?: number | null;
}

/**
 * Any create field but the type. A verifier or broker given replaces the stored one whole, secrets
 * included; null clears idempotency_header, response, mapping and body_limit_bytes.
 */
export class UpdateSourceDto extends PartialType(OmitType(CreateSourceDto, ['type'] as const)) {}

export class SourceResponse {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SOURCE_TYPES }) type: SourceType;
  @ApiProperty({ description: 'The unguessable part of ingest_url.' }) mask_id: string;
  @ApiProperty({
    example: 'https://caravan.example.com/ingest/3tV9...',
    description: 'Where senders POST (http sources).',
  })
  ingest_url: string;
  @ApiProperty({ type: SourceVerifierView, description: 'Without its secret parts.' })
  verifier: SourceVerifierView;
  @ApiProperty({ nullable: true, type: String }) idempotency_header: string | null;
  @ApiProperty({ nullable: true, type: SourceResponseConfigDto }) response: SourceResponseConfig | null;
  @ApiProperty({ nullable: true, type: SourceBrokerView, description: 'Without its credentials.' })
  broker: SourceBrokerView | null;
  @ApiProperty({ nullable: true, type: SourceMappingDto }) mapping: SourceMapping | null;
  @ApiProperty({ nullable: true, type: Number }) body_limit_bytes: number | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

/** The stored response: every field filled, so the ingest path has nothing to default. */
export function storedResponse(response: SourceResponseConfigDto): SourceResponseConfig {
  return {
    status_code: response.status_code,
    body: response.body ?? '',
    content_type: response.content_type ?? 'text/plain; charset=utf-8',
  };
}

/** The paths given, without the unset ones. */
export function storedMapping(mapping: SourceMappingDto): SourceMapping {
  return Object.fromEntries(Object.entries(mapping).filter(([, path]) => typeof path === 'string'));
}

/** `publicUrl` is CARAVAN_PUBLIC_URL. Sealed parts never leave: the stored shapes keep only them apart. */
export function presentSource(source: Source, publicUrl: string): SourceResponse {
  return {
    id: source.id,
    project_id: source.projectId,
    name: source.name,
    type: source.type,
    mask_id: source.maskId,
    ingest_url: `${publicUrl}/ingest/${source.maskId}`,
    verifier: withoutSealed(source.verifier),
    idempotency_header: source.idempotencyHeader,
    response: source.response,
    broker: source.broker ? withoutSealed(source.broker) : null,
    mapping: source.mapping,
    body_limit_bytes: source.bodyLimitBytes,
    created_at: source.createdAt.toISOString(),
    updated_at: source.updatedAt.toISOString(),
  };
}

function withoutSealed<T extends { sealed?: string }>(stored: T): Omit<T, 'sealed'> {
  const view = { ...stored };
  delete view.sealed;
  return view;
}
