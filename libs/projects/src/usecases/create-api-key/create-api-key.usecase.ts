import { Injectable } from '@nestjs/common';
import { newId } from '@caravan/common';
import { generateApiKey } from '../../api-key-format';
import { CreatedApiKeyResponse, presentApiKey } from '../../dtos/api-key.dto';
import { ApiKey } from '../../entities/api-key.entity';
import { ApiKeyRepository } from '../../repositories/api-key.repository';
import { GetProject } from '../get-project/get-project.usecase';

@Injectable()
export class CreateApiKey {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly getProject: GetProject,
  ) {}

  async execute(projectId: string, name: string | undefined): Promise<CreatedApiKeyResponse> {
    await this.getProject.execute(projectId);
    const generated = generateApiKey('project');
    const key = new ApiKey();
    key.id = newId();
    key.projectId = projectId;
    key.role = 'project';
    key.name = name ?? '';
    key.prefix = generated.prefix;
    key.keyHash = generated.hash;
    key.revokedAt = null;
    const saved = await this.keys.save(key);
    return { ...presentApiKey(saved), key: generated.key };
  }
}
