import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const URL_OPTIONS = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
  max_allowed_length: 2048,
};
const NAME = /^[^\s\0]{1,255}$/;

export class KafkaSaslDto {
  @ApiProperty({ enum: ['plain', 'scram-sha-256', 'scram-sha-512'] })
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'])
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  username: string;

  @ApiProperty({ description: 'Stored encrypted, never returned.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;
}

export class KafkaSettingsDto {
  @ApiProperty({ type: [String], example: ['kafka-1:9092'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z0-9.-]{1,253}:\d{1,5}$/, { each: true, message: 'brokers must be host:port addresses' })
  brokers: string[];

  @ApiProperty({ example: 'orders' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: 'topic must be a Kafka topic name' })
  topic: string;

  @ApiProperty({ example: 'caravan' })
  @IsString()
  @Matches(NAME, { message: 'group_id must be 1-255 characters without spaces' })
  group_id: string;

  @ApiPropertyOptional({ type: KafkaSaslDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => KafkaSaslDto)
  sasl?: KafkaSaslDto;
}

export class SqsSettingsDto {
  @ApiProperty({ example: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' })
  @IsUrl(URL_OPTIONS, { message: 'queue_url must be an http(s) URL' })
  queue_url: string;

  @ApiProperty({ example: 'eu-west-1' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,50}$/, { message: 'region must be an AWS region such as eu-west-1' })
  region: string;

  @ApiPropertyOptional({ description: 'Another SQS-compatible endpoint (tests, LocalStack).' })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'endpoint must be an http(s) URL' })
  endpoint?: string;

  @ApiPropertyOptional({ description: "Without it, the AWS SDK's default credentials are used." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  access_key_id?: string;

  @ApiPropertyOptional({ description: 'With access_key_id. Stored encrypted, never returned.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  secret_access_key?: string;
}

export class PubSubSettingsDto {
  @ApiProperty({ example: 'my-gcp-project' })
  @IsString()
  @Matches(NAME, { message: 'project_id must be 1-255 characters without spaces' })
  project_id: string;

  @ApiProperty({ example: 'caravan-orders' })
  @IsString()
  @Matches(NAME, { message: 'subscription must be 1-255 characters without spaces' })
  subscription: string;

  @ApiPropertyOptional({
    description:
      "A service account key (JSON). Without it, Google's default credentials are used. Stored encrypted, never returned.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64 * 1024)
  credentials_json?: string;
}

/** Where a kafka, sqs or pubsub source reads messages from: the one block of its type. */
export class SourceBrokerDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 32, default: 1, description: 'Concurrent consumers.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  workers?: number;

  @ApiPropertyOptional({ type: KafkaSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => KafkaSettingsDto)
  kafka?: KafkaSettingsDto;

  @ApiPropertyOptional({ type: SqsSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SqsSettingsDto)
  sqs?: SqsSettingsDto;

  @ApiPropertyOptional({ type: PubSubSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PubSubSettingsDto)
  pubsub?: PubSubSettingsDto;
}

export class KafkaSaslView extends OmitType(KafkaSaslDto, ['password'] as const) {}

export class KafkaSettingsView extends OmitType(KafkaSettingsDto, ['sasl'] as const) {
  @ApiPropertyOptional({ type: KafkaSaslView }) sasl?: KafkaSaslView;
}

export class SqsSettingsView extends OmitType(SqsSettingsDto, ['secret_access_key'] as const) {}

export class PubSubSettingsView extends OmitType(PubSubSettingsDto, ['credentials_json'] as const) {}

/** A broker block as the API shows it: without its credentials. */
export class SourceBrokerView {
  @ApiProperty() workers: number;
  @ApiPropertyOptional({ type: KafkaSettingsView }) kafka?: KafkaSettingsView;
  @ApiPropertyOptional({ type: SqsSettingsView }) sqs?: SqsSettingsView;
  @ApiPropertyOptional({ type: PubSubSettingsView }) pubsub?: PubSubSettingsView;
}
