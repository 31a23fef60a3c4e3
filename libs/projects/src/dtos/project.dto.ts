import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { RetryConfigDto } from '@caravan/common';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  IsUrl,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { Project, ProjectType } from '../entities/project.entity';
import {
  META_EVENT_TYPES,
  MetaEventType,
  ProjectConfig,
  resolveProjectConfig,
  SIGNATURE_SCHEMES,
  SignatureEncoding,
  SignatureHash,
  SignatureScheme,
} from '../project-config';

export class SignatureConfigDto {
  @ApiPropertyOptional({
    enum: SIGNATURE_SCHEMES,
    description:
      'simple: HMAC of the body in one header; advanced: Convoy\'s t=<ts>,v1=<sig> with one v1 per active secret; standard-webhooks: the Standard Webhooks headers.',
  })
  @IsOptional()
  @IsIn(SIGNATURE_SCHEMES, { message: `scheme must be one of ${SIGNATURE_SCHEMES.join(', ')}` })
  scheme?: SignatureScheme;

  @ApiPropertyOptional({ example: 'X-Caravan-Signature', description: 'simple and advanced (X-Convoy-Signature for Convoy receivers).' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'header must be an HTTP header name (letters, digits, -)' })
  header?: string;

  @ApiPropertyOptional({ enum: ['sha256', 'sha512'] })
  @IsOptional()
  @IsIn(['sha256', 'sha512'])
  hash?: SignatureHash;

  @ApiPropertyOptional({ enum: ['hex', 'base64'] })
  @IsOptional()
  @IsIn(['hex', 'base64'])
  encoding?: SignatureEncoding;
}

export class RateLimitConfigDto {
  @ApiProperty({ minimum: 1, example: 100 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  count: number;

  @ApiProperty({ minimum: 1, example: 60 })
  @IsInt()
  @Min(1)
  @Max(86_400)
  duration_seconds: number;
}

export class CircuitBreakerConfigDto {
  @ApiPropertyOptional({ default: 30, description: 'Window over which failure rates are counted.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(3600)
  sample_window_seconds?: number;

  @ApiPropertyOptional({ default: 30, description: 'How long the circuit stays open before probing.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(3600)
  error_timeout_seconds?: number;

  @ApiPropertyOptional({ default: 70, description: 'Failure percentage that opens the circuit.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  failure_threshold?: number;

  @ApiPropertyOptional({ default: 5, description: 'Success percentage of probes that closes it again.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  success_threshold?: number;

  @ApiPropertyOptional({ default: 10, description: 'Attempts needed in the window before the circuit can open.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  minimum_request_count?: number;

  @ApiPropertyOptional({ default: 10, description: 'Trips in a row after which the endpoint is set inactive.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  consecutive_failure_threshold?: number;
}

export class MetaEventsConfigDto {
  @ApiPropertyOptional({ default: false, description: 'Send meta events to url.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://example.com/caravan-meta', description: 'Required while enabled.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, max_allowed_length: 2048 },
    { message: 'url must be an http(s) URL' },
  )
  url?: string | null;

  @ApiPropertyOptional({
    description:
      'Signing secret (printable ASCII), never returned; generated as whsec_... when meta events are enabled without one, and then shown once, in that response.',
    minLength: 16,
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' })
  secret?: string;

  @ApiPropertyOptional({ enum: META_EVENT_TYPES, isArray: true, description: 'Default: every type.' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'event_types must list at least one type; set enabled to false to receive none' })
  @ArrayUnique()
  @IsIn(META_EVENT_TYPES, { each: true, message: `event_types must be among ${META_EVENT_TYPES.join(', ')}` })
  event_types?: MetaEventType[];
}

export class RetentionConfigDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    example: 30,
    description: 'Days events are kept (an event with a delivery still pending is kept until it settles); null: CARAVAN_RETENTION_DAYS.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  events_days?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    example: 7,
    description: 'Days finished deliveries and their attempts are kept, at most events_days; null: CARAVAN_RETENTION_DAYS.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  deliveries_days?: number | null;
}

export class ProjectConfigDto {
  @ApiPropertyOptional({ type: SignatureConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SignatureConfigDto)
  signature?: SignatureConfigDto;

  @ApiPropertyOptional({ type: RetryConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RetryConfigDto)
  retry?: RetryConfigDto;

  @ApiPropertyOptional({ type: RateLimitConfigDto, nullable: true, description: 'Default per-endpoint rate limit; null for none.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitConfigDto)
  rate_limit?: RateLimitConfigDto | null;

  @ApiPropertyOptional({ type: CircuitBreakerConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CircuitBreakerConfigDto)
  circuit_breaker?: CircuitBreakerConfigDto;

  @ApiPropertyOptional({ default: true, description: 'Set an endpoint inactive when its circuit keeps opening.' })
  @IsOptional()
  @IsBoolean()
  disable_endpoint_on_failure?: boolean;

  @ApiPropertyOptional({ default: 86400, description: 'How long an idempotency_key holds.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 86400)
  idempotency_window_seconds?: number;

  @ApiPropertyOptional({ type: MetaEventsConfigDto, description: 'Signed notifications about endpoints and deliveries.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MetaEventsConfigDto)
  meta_events?: MetaEventsConfigDto;

  @ApiPropertyOptional({ type: RetentionConfigDto, description: 'What the periodic purge keeps.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RetentionConfigDto)
  retention?: RetentionConfigDto;
}

export class CreateProjectDto {
  @ApiProperty({ example: 'Billing webhooks' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: ['outgoing', 'incoming'], default: 'outgoing' })
  @IsOptional()
  @IsIn(['outgoing', 'incoming'])
  type?: ProjectType;

  @ApiPropertyOptional({ type: ProjectConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProjectConfigDto)
  config?: ProjectConfigDto;
}

/** Name and config; config fields given replace those stored, others stay. The type is fixed at creation. */
export class UpdateProjectDto extends PartialType(OmitType(CreateProjectDto, ['type'] as const)) {}

export class MetaEventsConfigView {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ enum: META_EVENT_TYPES, isArray: true }) event_types: MetaEventType[];
  @ApiProperty({ description: 'Whether a signing secret is stored; the secret itself is never returned.' }) secret_set: boolean;
  @ApiPropertyOptional({ description: 'Only in the response of the request that generated it.' }) secret?: string;
}

/** The settings as returned: the meta-events secret replaced by whether one is set. */
export type ProjectConfigView = Omit<ProjectConfig, 'meta_events'> & { meta_events: MetaEventsConfigView };

export class ProjectResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['outgoing', 'incoming'] }) type: ProjectType;
  @ApiProperty({ description: 'Every setting, defaults filled in; config.meta_events has secret_set instead of the secret.' })
  config: ProjectConfigView;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

/** `generatedSecret`: the meta-events secret this request generated, shown this once. */
export function presentProject(project: Project, generatedSecret: string | null = null): ProjectResponse {
  const { meta_events: { secret, ...metaEvents }, ...config } = resolveProjectConfig(project.config, undefined);
  return {
    id: project.id,
    name: project.name,
    type: project.type,
    config: {
      ...config,
      meta_events: { ...metaEvents, secret_set: secret !== null, ...(generatedSecret ? { secret: generatedSecret } : {}) },
    },
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}
