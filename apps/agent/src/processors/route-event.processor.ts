import { Injectable } from '@nestjs/common';
import { RouteEvent } from '@caravan/delivery';
import { JobHandler, QueuedJob, RouteEventJob } from '@caravan/queue';

@Injectable()
export class RouteEventProcessor extends JobHandler<RouteEventJob> {
  constructor(private readonly routeEvent: RouteEvent) {
    super();
  }

  handle(job: QueuedJob<RouteEventJob>): Promise<number> {
    return this.routeEvent.execute(job.data);
  }
}
