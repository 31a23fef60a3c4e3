import { Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { CARAVAN_CONFIG, CaravanConfig, InFlightWork, newId } from '@caravan/common';
import { nextClaimDelay } from './next-claim-delay';
import { Claim, ScheduledTaskRepository } from './repositories/scheduled-task.repository';
import { describeReport, isIdle, ScheduledTask, TaskReport } from './scheduled-task';

/**
 * Runs each task once per interval per deployment, however many agents call start().
 *
 * Why a Postgres row per task and not BullMQ job schedulers: the embedded mode has no Redis (its
 * queue lives in the process), and one mechanism should behave the same on both storages. A claim
 * is one conditional UPDATE against the database clock (see ScheduledTaskRepository.claim), so
 * two agents cannot both win an interval, agents with skewed clocks agree, and the outcome of
 * every run lands in a table an operator can read. A lease, renewed while the run lasts, keeps a
 * slow run from overlapping the next one and lets the task run again soon after its agent dies.
 */
@Injectable()
export class Scheduler {
  private readonly logger = new Logger('Scheduler');
  private readonly runner = `${hostname()}:${process.pid}`;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new InFlightWork();
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(
    private readonly tasks: ScheduledTaskRepository,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  start(tasks: ScheduledTask[]): void {
    for (const task of tasks) this.track(this.begin(task));
  }

  /** Stops claiming; a run in progress finishes and records its outcome first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.inFlight.drained();
  }

  private async begin(task: ScheduledTask): Promise<void> {
    try {
      await this.tasks.ensure(task.name, { dueNow: task.dueAtStart ?? false, soleProcess: this.config.storage === 'embedded' });
    } catch (error) {
      this.logger.warn(`scheduled task ${task.name} not registered (${String(error)}); trying again`);
      this.later(task, Math.min(task.intervalMs, 5000));
      return;
    }
    await this.attempt(task);
  }

  private async attempt(task: ScheduledTask): Promise<void> {
    const started = Date.now();
    const token = newId();
    let claim: Claim;
    try {
      claim = await this.tasks.claim(task.name, token, task.intervalMs, this.config.scheduler.leaseMs, this.runner);
    } catch (error) {
      this.logger.warn(`scheduled task ${task.name} not claimed (${String(error)}); trying again`);
      this.later(task, Math.min(task.intervalMs, 5000));
      return;
    }
    if (claim.claimed) {
      if (claim.previousRunAbandoned) {
        this.logger.warn(`scheduled task ${task.name}: the previous run never finished (its agent stopped); running again`);
      }
      await this.run(task, token);
    }
    this.later(task, nextClaimDelay(claim, task.intervalMs, Date.now() - started));
  }

  private async run(task: ScheduledTask, token: string): Promise<void> {
    const started = Date.now();
    const renewal = setInterval(() => {
      this.tasks.renew(task.name, token, this.config.scheduler.leaseMs).then(
        (held) => held || this.logger.warn(`scheduled task ${task.name} outlived its lease; another agent may run it too`),
        (error: unknown) => this.logger.warn(`scheduled task ${task.name}: lease not renewed (${String(error)})`),
      );
    }, this.config.scheduler.leaseMs / 3);
    let report: TaskReport | null = null;
    let failure: unknown;
    try {
      report = await task.run(this.stopping.signal);
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(renewal);
    }
    const durationMs = Date.now() - started;
    if (report) {
      const line = `${task.name} succeeded in ${durationMs} ms: ${describeReport(report)}`;
      if (task.quietWhenIdle && isIdle(report)) this.logger.debug(line);
      else this.logger.log(line);
    } else {
      this.logger.warn(`${task.name} failed after ${durationMs} ms: ${String(failure)}`);
    }
    await this.tasks
      .finish(task.name, token, report ? 'succeeded' : 'failed', durationMs, report, report ? null : String(failure))
      .catch((error: unknown) => this.logger.warn(`scheduled task ${task.name}: outcome not recorded (${String(error)})`));
  }

  private later(task: ScheduledTask, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) this.track(this.attempt(task));
    }, delayMs);
    this.timers.add(timer);
  }

  private track(work: Promise<void>): void {
    this.inFlight.track(work.catch((error: unknown) => this.logger.error(`scheduler: ${String(error)}`)));
  }
}
