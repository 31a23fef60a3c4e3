import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, toPageRequest } from '@caravan/common';
import {
  CreateProject,
  CreateProjectDto,
  DeleteProject,
  GetProject,
  ListProjects,
  presentProject,
  ProjectResponse,
  UpdateProject,
  UpdateProjectDto,
} from '@caravan/projects';
import { RootOnly } from '../auth/root-only.decorator';
import { ApiPage, ApiStandardErrors } from './api-docs';
import { API_PREFIX } from './id.pipe';

@ApiTags('projects')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects`)
export class ProjectsController {
  constructor(
    private readonly createProject: CreateProject,
    private readonly listProjects: ListProjects,
    private readonly getProject: GetProject,
    private readonly updateProject: UpdateProject,
    private readonly deleteProject: DeleteProject,
  ) {}

  @Post()
  @RootOnly()
  @ApiCreatedResponse({ type: ProjectResponse })
  @ApiOperation({ operationId: 'createProject', summary: 'Create a project (root key)' })
  async create(@Body() body: CreateProjectDto): Promise<ProjectResponse> {
    const { project, generatedSecret } = await this.createProject.execute(body);
    return presentProject(project, generatedSecret);
  }

  @Get()
  @ApiPage(ProjectResponse)
  @RootOnly()
  @ApiOperation({ operationId: 'listProjects', summary: 'List projects (root key)' })
  list(@Query() query: PageQueryDto) {
    return this.listProjects.execute(toPageRequest(query));
  }

  @Get(':project_id')
  @ApiOkResponse({ type: ProjectResponse })
  @ApiOperation({ operationId: 'getProject', summary: 'Get a project' })
  async get(@Param('project_id') projectId: string): Promise<ProjectResponse> {
    return presentProject(await this.getProject.execute(projectId));
  }

  @Patch(':project_id')
  @RootOnly()
  @ApiOkResponse({ type: ProjectResponse })
  @ApiOperation({ operationId: 'updateProject', summary: 'Update a project (root key)' })
  async update(@Param('project_id') projectId: string, @Body() body: UpdateProjectDto): Promise<ProjectResponse> {
    const { project, generatedSecret } = await this.updateProject.execute(projectId, body);
    return presentProject(project, generatedSecret);
  }

  @Delete(':project_id')
  @RootOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its endpoints, events, deliveries and keys.' })
  @ApiOperation({
    operationId: 'deleteProject',
    summary: 'Delete a project with everything in it (root key)',
  })
  async remove(@Param('project_id') projectId: string): Promise<void> {
    await this.deleteProject.execute(projectId);
  }
}
