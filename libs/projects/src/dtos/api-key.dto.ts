import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { ApiKey } from '../entities/api-key.entity';

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'billing-service' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class ApiKeyResponse {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Visible part of the key, to tell keys apart.' }) prefix: string;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) revoked_at: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The key. Shown only in this response; store it now.' })
  key: string;
}

export function presentApiKey(key: ApiKey): ApiKeyResponse {
  return {
    id: key.id,
    project_id: key.projectId ?? '',
    name: key.name,
    prefix: key.prefix,
    created_at: key.createdAt.toISOString(),
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}
