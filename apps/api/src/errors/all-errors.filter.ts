import { ArgumentsHost, Catch, ExceptionFilter, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorBody } from './error-body';

@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // Health probes answer 503 with terminus's report of each dependency: keep it as it is.
    if (error instanceof ServiceUnavailableException && isHealthReport(error.getResponse())) {
      void reply.status(503).send(error.getResponse());
      return;
    }
    const body = toErrorBody(error);
    if (body.status === 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    void reply.status(body.status).send(body);
  }
}

function isHealthReport(response: unknown): boolean {
  return typeof response === 'object' && response !== null && 'details' in response && 'status' in response;
}
