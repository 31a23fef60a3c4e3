import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { caravanMetrics } from '@caravan/common';
import { InProcessJobQueue } from './in-process-job-queue';
import { QueueName } from './queue-names';
import { RoutedHandoff } from './routed-handoff';

interface QueueSample {
  queue: QueueName;
  waiting: number;
  delayed: number;
  active: number;
  /** Milliseconds since the epoch; null when nothing waits. */
  oldestDueSince: number | null;
}

/** Sets the queue gauges from samples taken at scrape time: nothing is counted per job. */
function sampleQueuesWith(sample: () => Promise<QueueSample[]>): void {
  const samples = async () => {
    const at = Date.now();
    return { at, queues: await sample() };
  };
  let last: Promise<{ at: number; queues: QueueSample[] }> | null = null;
  // Both gauges are collected in one scrape: they share one sampling of the queues.
  const shared = () => {
    last ??= samples().finally(() => setImmediate(() => (last = null)));
    return last;
  };
  caravanMetrics.queueJobs.sampleWith(async () => {
    const { queues } = await shared();
    return queues.flatMap((q) =>
      (['waiting', 'delayed', 'active'] as const).map((state) => ({ labels: { queue: q.queue, state }, value: q[state] })),
    );
  });
  caravanMetrics.queueOldestWaiting.sampleWith(async () => {
    const { at, queues } = await shared();
    return queues.map((q) => ({ labels: { queue: q.queue }, value: q.oldestDueSince === null ? 0 : Math.max(0, at - q.oldestDueSince) / 1000 }));
  });
}

@Injectable()
export class InProcessQueueMetrics implements OnModuleInit {
  constructor(private readonly queue: InProcessJobQueue) {}

  onModuleInit(): void {
    sampleQueuesWith(async () =>
      Object.values(QueueName).map((queue) => ({ queue, ...this.queue.counts(queue), oldestDueSince: this.queue.oldestDueSince(queue) })),
    );
  }
}

@Injectable()
export class BullMqQueueMetrics implements OnModuleInit {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Routing) routing: Queue,
    @InjectQueue(QueueName.Delivery) delivery: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.MetaEvents) metaEvents: Queue,
    private readonly handoff: RoutedHandoff,
  ) {
    this.queues = {
      [QueueName.Routing]: routing,
      [QueueName.Delivery]: delivery,
      [QueueName.Maintenance]: maintenance,
      [QueueName.MetaEvents]: metaEvents,
    };
  }

  onModuleInit(): void {
    sampleQueuesWith(() => Promise.all(Object.values(QueueName).map((name) => (name === QueueName.Routing ? this.sampleRouting() : this.sample(name)))));
  }

  /** Routing jobs, and the routed events waiting in the RoutedHandoff (a message counts as one job). */
  private async sampleRouting(): Promise<QueueSample> {
    const [jobs, handedOff] = await Promise.all([this.sample(QueueName.Routing), this.handoff.waiting()]);
    const since = [jobs.oldestDueSince, handedOff.oldestClaimedAt].filter((at): at is number => at !== null);
    return { ...jobs, waiting: jobs.waiting + handedOff.messages, oldestDueSince: since.length > 0 ? Math.min(...since) : null };
  }

  private async sample(name: QueueName): Promise<QueueSample> {
    const queue = this.queues[name];
    const [counts, [oldest]] = await Promise.all([
      queue.getJobCounts('wait', 'prioritized', 'delayed', 'active'),
      queue.getJobs(['wait'], 0, 0, true),
    ]);
    return {
      queue: name,
      waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
      // Added at `timestamp`, due `delay` later. A job deferred again (rate limit, open circuit) keeps its
      // first timestamp, so its age can be off by its deferrals: good enough to see a backlog grow.
      oldestDueSince: oldest ? oldest.timestamp + (oldest.delay ?? 0) : null,
    };
  }
}
