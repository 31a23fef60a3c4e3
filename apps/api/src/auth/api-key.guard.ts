import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, InvalidInputError, isId, NotFoundError } from '@caravan/common';
import { IS_PUBLIC } from '@caravan/health';
import { AuthenticateApiKey, GetProject, Principal } from '@caravan/projects';
import type { FastifyRequest } from 'fastify';
import { ROOT_ONLY } from './root-only.decorator';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every route needs a key unless marked @Public(). A project key reaches only its own project:
 * any other project id answers 404, as if it did not exist.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKey,
    private readonly getProject: GetProject,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate.execute(request.headers.authorization);
    request.principal = principal;

    const projectId = (request.params as Record<string, string> | undefined)?.project_id;
    if (projectId !== undefined) {
      if (!isId(projectId)) throw new InvalidInputError('project_id must be a project id', 'project_id');
      if (principal.role === 'project' && principal.projectId !== projectId) {
        throw NotFoundError.of('project', 'project_id');
      }
      // A project key exists only while its project does (the key is deleted with it), so only the
      // root key needs the lookup; this keeps a database round trip off every ingest.
      if (principal.role === 'root') await this.getProject.execute(projectId);
    }
    if (this.reflector.getAllAndOverride<boolean>(ROOT_ONLY, targets) && principal.role !== 'root') {
      throw new ForbiddenError('this route needs the root API key');
    }
    return true;
  }
}
