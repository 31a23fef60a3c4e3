import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, toPageRequest } from '@caravan/common';
import { ApiKeyResponse, CreateApiKey, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeys, RevokeApiKey } from '@caravan/projects';
import { RootOnly } from '../auth/root-only.decorator';
import { ApiPage, ApiStandardErrors } from './api-docs';
import { API_PREFIX, IdPipe } from './id.pipe';

@ApiTags('api keys')
@ApiBearerAuth()
@ApiStandardErrors()
@RootOnly()
@Controller(`${API_PREFIX}/projects/:project_id/api-keys`)
export class ApiKeysController {
  constructor(
    private readonly createApiKey: CreateApiKey,
    private readonly listApiKeys: ListApiKeys,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'The key is in this response only.' })
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Create a project API key (root key); the key is in this answer only',
  })
  create(@Param('project_id') projectId: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.createApiKey.execute(projectId, body.name);
  }

  @Get()
  @ApiPage(ApiKeyResponse)
  @ApiOperation({ operationId: 'listApiKeys', summary: "List a project's API keys (root key)" })
  list(@Param('project_id') projectId: string, @Query() query: PageQueryDto) {
    return this.listApiKeys.execute(projectId, toPageRequest(query));
  }

  @Delete(':key_id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key stops working.' })
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke a project API key (root key)' })
  async revoke(@Param('project_id') projectId: string, @Param('key_id', new IdPipe('key_id')) keyId: string): Promise<void> {
    await this.revokeApiKey.execute(projectId, keyId);
  }
}
