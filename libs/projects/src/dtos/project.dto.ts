import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { RetryConfigDto } from '@caravan/common';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { Project, ProjectType } from '../entities/project.entity';
import type { ProjectConfig, SignatureEncoding, SignatureHash, SignatureScheme } from '../project-config';

export class SignatureConfigDto {
  @ApiPropertyOptional({ enum: ['simple'], description: 'More schemes arrive with secret rotation.' })
  @IsOptional()
  @IsIn(['simple'])
  scheme?: SignatureScheme;

  @ApiPropertyOptional({ example: 'X-Caravan-Signature' })
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

export class ProjectResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['outgoing', 'incoming'] }) type: ProjectType;
  @ApiProperty({ description: 'Signature and retry settings, every field present.' }) config: ProjectConfig;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export function presentProject(project: Project): ProjectResponse {
  return {
    id: project.id,
    name: project.name,
    type: project.type,
    config: project.config,
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}
