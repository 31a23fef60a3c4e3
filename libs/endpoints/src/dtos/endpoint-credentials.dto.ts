import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

/** What the endpoint expects with every delivery: an API-key header or HTTP basic auth. */
export class EndpointAuthenticationDto {
  @ApiProperty({ enum: ['api_key', 'basic'] })
  @IsIn(['api_key', 'basic'])
  type: 'api_key' | 'basic';

  @ApiPropertyOptional({ example: 'X-Api-Key', description: 'api_key: the header name.' })
  @ValidateIf((auth: EndpointAuthenticationDto) => auth.type === 'api_key')
  @IsString()
  @Matches(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, { message: 'header_name must be an HTTP header name' })
  header_name?: string;

  @ApiPropertyOptional({ description: 'api_key: the header value. Stored encrypted, never returned.' })
  @ValidateIf((auth: EndpointAuthenticationDto) => auth.type === 'api_key')
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  @Matches(/^[^\r\n\0]*$/, { message: 'header_value cannot contain line breaks' })
  header_value?: string;

  @ApiPropertyOptional({ description: 'basic: the user name. Stored encrypted.' })
  @ValidateIf((auth: EndpointAuthenticationDto) => auth.type === 'basic')
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  @Matches(/^[^:\r\n\0]*$/, { message: 'username cannot contain ":" or line breaks' })
  username?: string;

  @ApiPropertyOptional({ description: 'basic: the password. Stored encrypted, never returned.' })
  @ValidateIf((auth: EndpointAuthenticationDto) => auth.type === 'basic')
  @IsString()
  @MaxLength(512)
  @Matches(/^[^\r\n\0]*$/, { message: 'password cannot contain line breaks' })
  password?: string;
}

/** A client certificate the agent presents to the endpoint (mTLS). */
export class EndpointTlsDto {
  @ApiProperty({ description: 'PEM certificate (chain) to present.' })
  @IsString()
  @MaxLength(64 * 1024)
  client_cert: string;

  @ApiProperty({ description: 'PEM private key of the certificate. Stored encrypted, never returned.' })
  @IsString()
  @MaxLength(64 * 1024)
  client_key: string;
}

export class EndpointAuthenticationView {
  @ApiProperty({ enum: ['api_key', 'basic'] }) type: 'api_key' | 'basic';
  @ApiPropertyOptional() header_name?: string;
}

export class EndpointTlsView {
  @ApiProperty() subject: string;
  @ApiProperty() expires_at: string;
  @ApiProperty() fingerprint256: string;
}
