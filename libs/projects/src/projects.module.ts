import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './entities/api-key.entity';
import { MetaEventsSettings } from './meta-events-settings';
import { Project } from './entities/project.entity';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { ProjectRepository } from './repositories/project.repository';
import { AuthenticateApiKey } from './usecases/authenticate-api-key/authenticate-api-key.usecase';
import { CreateApiKey } from './usecases/create-api-key/create-api-key.usecase';
import { CreateProject } from './usecases/create-project/create-project.usecase';
import { DeleteProject } from './usecases/delete-project/delete-project.usecase';
import { EnsureRootKey } from './usecases/ensure-root-key/ensure-root-key.usecase';
import { GetProject } from './usecases/get-project/get-project.usecase';
import { ListApiKeys } from './usecases/list-api-keys/list-api-keys.usecase';
import { ListProjects } from './usecases/list-projects/list-projects.usecase';
import { RevokeApiKey } from './usecases/revoke-api-key/revoke-api-key.usecase';
import { UpdateProject } from './usecases/update-project/update-project.usecase';

const USE_CASES = [
  AuthenticateApiKey,
  CreateApiKey,
  CreateProject,
  DeleteProject,
  EnsureRootKey,
  GetProject,
  ListApiKeys,
  ListProjects,
  RevokeApiKey,
  UpdateProject,
  MetaEventsSettings,
];

@Module({
  imports: [TypeOrmModule.forFeature([Project, ApiKey])],
  providers: [ProjectRepository, ApiKeyRepository, ...USE_CASES],
  exports: USE_CASES,
})
export class ProjectsModule {}
