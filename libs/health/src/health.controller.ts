import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { JobQueue } from '@caravan/queue';
import { Public } from './public.decorator';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  // Probes carry no key: an empty security list overrides the document's default bearer auth.
  @ApiOperation({ operationId: 'checkLiveness', summary: 'Liveness: the process serves HTTP', security: [] })
  live() {
    return this.health.check([]);
  }

  /** Postgres and Redis (the in-process queue, embedded) answer: the process can do its work. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    operationId: 'checkReadiness',
    summary: 'Readiness: PostgreSQL and the queue answer',
    security: [],
  })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('postgres').withTimeout(2000),
      () =>
        this.indicators
          .check(this.config.storage === 'embedded' ? 'queue' : 'redis')
          .attempt(() => this.queue.ping())
          .withTimeout(2000),
    ]);
  }
}
