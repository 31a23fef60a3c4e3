import { ApiProperty, ApiPropertyOptional, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { RetryConfig, RetryConfigDto } from '@caravan/common';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { describeClientCertificate } from '../endpoint-credentials';
import { PRINTABLE_SECRET } from '../endpoint-secret';
import type { Endpoint, EndpointStatus } from '../entities/endpoint.entity';
import {
  EndpointAuthenticationDto,
  EndpointAuthenticationView,
  EndpointTlsDto,
  EndpointTlsView,
} from './endpoint-credentials.dto';

const URL_OPTIONS = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
  max_allowed_length: 2048,
};
const URL_MESSAGE = { message: 'url must be an http(s) URL' };

export class CreateEndpointDto {
  @ApiProperty({ example: 'https://example.com/webhooks' })
  @IsUrl(URL_OPTIONS, URL_MESSAGE)
  url: string;

  @ApiPropertyOptional({ description: 'Defaults to the URL.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    description: 'Groups endpoints of one customer; events sent with owner_id fan out to them.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner_id?: string;

  @ApiPropertyOptional({
    description: 'Signing secret (printable ASCII); generated as whsec_... when absent.',
    minLength: 16,
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  @Matches(PRINTABLE_SECRET, { message: 'secret must be printable ASCII without spaces' })
  secret?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 120, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  http_timeout_seconds?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  support_email?: string;

  @ApiPropertyOptional({
    minimum: 1,
    description: "Deliveries allowed per rate_limit_duration_seconds; overrides the project's.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rate_limit?: number;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  rate_limit_duration_seconds?: number;

  @ApiPropertyOptional({ enum: ['active', 'paused'], default: 'active' })
  @IsOptional()
  @IsIn(['active', 'paused'])
  status?: 'active' | 'paused';

  @ApiPropertyOptional({ type: RetryConfigDto, description: "Overrides the project's retry settings." })
  @IsOptional()
  @ValidateNested()
  @Type(() => RetryConfigDto)
  retry?: RetryConfigDto;

  @ApiPropertyOptional({
    type: EndpointAuthenticationDto,
    nullable: true,
    description: 'Sent with every delivery; stored encrypted.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EndpointAuthenticationDto)
  authentication?: EndpointAuthenticationDto | null;

  @ApiPropertyOptional({
    type: EndpointTlsDto,
    nullable: true,
    description: 'Client certificate for mTLS; the key is stored encrypted.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EndpointTlsDto)
  tls?: EndpointTlsDto | null;
}

/** Any create field but the secret (rotated separately) and status (pause/activate); null clears optional ones. */
export class UpdateEndpointDto extends PartialType(
  OmitType(CreateEndpointDto, ['secret', 'status'] as const),
) {}

/** Rotates the secret: a new one (given or generated) signs from now, the old ones for expiration_hours more. */
export class ExpireSecretDto extends PickType(CreateEndpointDto, ['secret'] as const) {
  @ApiProperty({
    description: 'How long the current secrets keep signing beside the new one; 0 = expire them now.',
    example: 24,
  })
  @IsInt()
  @Min(0)
  @Max(7 * 24)
  expiration_hours: number;
}

export class EndpointResponse {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty() name: string;
  @ApiProperty() url: string;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String }) owner_id: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'inactive'] }) status: EndpointStatus;
  @ApiProperty() http_timeout_seconds: number;
  @ApiProperty({ nullable: true, type: String }) support_email: string | null;
  @ApiProperty({ nullable: true, type: Number }) rate_limit: number | null;
  @ApiProperty({ nullable: true, type: Number }) rate_limit_duration_seconds: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why Caravan set the endpoint inactive.' })
  disabled_reason: string | null;
  @ApiProperty({ nullable: true, type: String }) disabled_at: string | null;
  @ApiProperty({ nullable: true, type: RetryConfigDto }) retry: Partial<RetryConfig> | null;
  @ApiProperty({ nullable: true, type: EndpointAuthenticationView, description: 'Without its secret parts.' })
  authentication: EndpointAuthenticationView | null;
  @ApiProperty({ nullable: true, type: EndpointTlsView }) tls: EndpointTlsView | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class EndpointSecretResponse {
  @ApiProperty() secret: string;
  @ApiProperty({ nullable: true, type: String }) expires_at: string | null;
}

export function presentEndpoint(endpoint: Endpoint): EndpointResponse {
  return {
    id: endpoint.id,
    project_id: endpoint.projectId,
    name: endpoint.name,
    url: endpoint.url,
    description: endpoint.description,
    owner_id: endpoint.ownerId,
    status: endpoint.status,
    http_timeout_seconds: endpoint.httpTimeoutSeconds,
    support_email: endpoint.supportEmail,
    rate_limit: endpoint.rateLimit,
    rate_limit_duration_seconds: endpoint.rateLimit ? (endpoint.rateLimitDurationSeconds ?? 1) : null,
    disabled_reason: endpoint.disabledReason,
    disabled_at: endpoint.disabledAt?.toISOString() ?? null,
    retry: endpoint.retry,
    authentication: endpoint.authentication
      ? {
          type: endpoint.authentication.type,
          ...(endpoint.authentication.header_name
            ? { header_name: endpoint.authentication.header_name }
            : {}),
        }
      : null,
    tls: describeClientCertificate(endpoint.tls),
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}
