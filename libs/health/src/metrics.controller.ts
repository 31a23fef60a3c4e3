import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { collectProcessMetrics, metricsRegistry } from '@caravan/common';
import { Public } from './public.decorator';

@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor() {
    collectProcessMetrics();
  }

  /** Prometheus text format: Caravan's counters and histograms, queue and breaker gauges read now, and Node's process metrics. */
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @ApiProduces('text/plain')
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics', security: [] })
  @ApiOkResponse({ description: 'Metrics in the Prometheus text exposition format.', schema: { type: 'string' } })
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
