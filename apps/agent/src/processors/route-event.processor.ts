import { WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { RouteEvent } from '@caravan/delivery';
import { RouteEventJob } from '@caravan/queue';
import { Job } from 'bullmq';

@Injectable()
export class RouteEventProcessor extends WorkerHost {
  constructor(private readonly routeEvent: RouteEvent) {
    super();
  }

  process(job: Job<RouteEventJob>): Promise<number> {
    return this.routeEvent.execute(job.data);
  }
}
