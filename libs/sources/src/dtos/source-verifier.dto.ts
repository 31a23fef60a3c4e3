import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { VERIFIER_TYPES, VerifierType } from '../entities/source.entity';

export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const SINGLE_LINE = /^[^\r\n\0]*$/;
const SECRET_TYPES: readonly VerifierType[] = ['hmac', 'github', 'stripe', 'shopify', 'standard-webhooks'];

/** The fields each verifier type takes; any other field given with it is refused. */
export const VERIFIER_FIELDS: Record<VerifierType, readonly string[]> = {
  none: [],
  hmac: ['header', 'hash', 'encoding', 'secret'],
  basic_auth: ['username', 'password'],
  api_key: ['header_name', 'header_value'],
  github: ['secret'],
  stripe: ['secret'],
  shopify: ['secret'],
  'standard-webhooks': ['secret'],
};

const is =
  (...types: VerifierType[]) =>
  (verifier: SourceVerifierDto) =>
    types.includes(verifier.type);

/**
 * How an HTTP source checks that a request comes from its sender. Provider presets:
 * `github` (X-Hub-Signature-256), `stripe` (Stripe-Signature, 5 minutes' tolerance), `shopify`
 * (X-Shopify-Hmac-Sha256), `standard-webhooks` (webhook-id/-timestamp/-signature, a whsec_ secret).
 * Secret parts are stored encrypted and never returned.
 */
export class SourceVerifierDto {
  @ApiProperty({ enum: VERIFIER_TYPES, example: 'github' })
  @IsIn(VERIFIER_TYPES)
  type: VerifierType;

  @ApiPropertyOptional({
    example: 'X-Signature',
    description: 'hmac: the header that carries the signature.',
  })
  @ValidateIf(is('hmac'))
  @IsString()
  @Matches(HEADER_NAME, { message: 'header must be an HTTP header name' })
  header?: string;

  @ApiPropertyOptional({ enum: ['sha256', 'sha512'], default: 'sha256', description: 'hmac only.' })
  @ValidateIf((verifier: SourceVerifierDto) => verifier.type === 'hmac' && verifier.hash !== undefined)
  @IsIn(['sha256', 'sha512'])
  hash?: 'sha256' | 'sha512';

  @ApiPropertyOptional({ enum: ['hex', 'base64'], default: 'hex', description: 'hmac only.' })
  @ValidateIf((verifier: SourceVerifierDto) => verifier.type === 'hmac' && verifier.encoding !== undefined)
  @IsIn(['hex', 'base64'])
  encoding?: 'hex' | 'base64';

  @ApiPropertyOptional({
    description: 'hmac and the provider presets: the signing secret. Stored encrypted, never returned.',
  })
  @ValidateIf(is(...SECRET_TYPES))
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  @Matches(SINGLE_LINE, { message: 'secret cannot contain line breaks' })
  secret?: string;

  @ApiPropertyOptional({ description: 'basic_auth: the user name. Stored encrypted.' })
  @ValidateIf(is('basic_auth'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  @Matches(/^[^:\r\n\0]*$/, { message: 'username cannot contain ":" or line breaks' })
  username?: string;

  @ApiPropertyOptional({ description: 'basic_auth: the password. Stored encrypted, never returned.' })
  @ValidateIf(is('basic_auth'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  @Matches(SINGLE_LINE, { message: 'password cannot contain line breaks' })
  password?: string;

  @ApiPropertyOptional({ example: 'X-Api-Key', description: 'api_key: the header name.' })
  @ValidateIf(is('api_key'))
  @IsString()
  @Matches(HEADER_NAME, { message: 'header_name must be an HTTP header name' })
  header_name?: string;

  @ApiPropertyOptional({
    description: 'api_key: the value the header must have. Stored encrypted, never returned.',
  })
  @ValidateIf(is('api_key'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  @Matches(SINGLE_LINE, { message: 'header_value cannot contain line breaks' })
  header_value?: string;
}

/** A verifier as the API shows it: its type and non-secret parts. */
export class SourceVerifierView {
  @ApiProperty({ enum: VERIFIER_TYPES }) type: VerifierType;
  @ApiPropertyOptional() header?: string;
  @ApiPropertyOptional({ enum: ['sha256', 'sha512'] }) hash?: 'sha256' | 'sha512';
  @ApiPropertyOptional({ enum: ['hex', 'base64'] }) encoding?: 'hex' | 'base64';
  @ApiPropertyOptional() header_name?: string;
}
