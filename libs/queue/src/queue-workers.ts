import { Injectable, OnApplicationBootstrap, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { CaravanConfig } from '@caravan/common';
import { bullMqWorker } from './bullmq-worker';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobHandler } from './job-handler';
import { QueueName } from './queue-names';
import { routedHandoffWorker } from './routed-handoff-worker';

/** What works each queue: one handler per queue, and how many of its jobs may run at once. */
export type QueueHandlers = Record<QueueName, { handler: Type<JobHandler>; concurrency: number }>;

/**
 * The providers that run every queue's jobs with its handler: BullMQ workers on Redis, or the
 * in-process queue's workers in the embedded mode. Refuses a queue without a handler.
 */
export function queueWorkers(config: CaravanConfig, handlers: QueueHandlers): Provider[] {
  const queues = Object.values(QueueName);
  const missing = queues.filter((queue) => !handlers[queue]?.handler);
  if (missing.length > 0) throw new Error(`no handler for queue(s): ${missing.join(', ')}`);
  const handlerClasses = queues.map((queue) => handlers[queue].handler);

  if (config.storage === 'embedded') return [...handlerClasses, inProcessWorkers(handlers)];
  return [
    ...handlerClasses,
    ...queues.map((queue) =>
      bullMqWorker(queue, handlers[queue].handler, { concurrency: handlers[queue].concurrency, lockDurationMs: config.agent.queueLockMs }),
    ),
    routedHandoffWorker(handlers[QueueName.Routing].handler),
  ];
}

function inProcessWorkers(handlers: QueueHandlers): Type<OnApplicationBootstrap> {
  @Injectable()
  class InProcessWorkers implements OnApplicationBootstrap {
    constructor(
      private readonly queue: InProcessJobQueue,
      private readonly modules: ModuleRef,
    ) {}

    // After bootstrap, so that no job runs before every module (and the database) is ready.
    onApplicationBootstrap(): void {
      for (const queue of Object.values(QueueName)) {
        const { handler, concurrency } = handlers[queue];
        this.queue.work(queue, this.modules.get(handler, { strict: false }), concurrency);
      }
    }
  }
  return InProcessWorkers;
}
