import { Injectable, Logger } from '@nestjs/common';
import { JobQueue } from '@caravan/queue';
import { ClaimedFirstAttempt } from '../../first-attempt';
import { DeliveryRepository } from '../../repositories/delivery.repository';

/**
 * Claimed first attempts that will not be sent in this process after all (no room, a claim
 * grown old while waiting, shutdown): their claims are handed back, then they are queued like any
 * first attempt. If the database cannot take the claims back, the queued jobs find nothing due
 * and the sweeper sends the deliveries once the claims run out.
 */
@Injectable()
export class HandBackFirstAttempts {
  private readonly logger = new Logger(HandBackFirstAttempts.name);

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: JobQueue,
  ) {}

  async execute(attempts: ClaimedFirstAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.deliveries.releaseClaims(attempts.map((attempt) => attempt.claimed)).catch((error: unknown) => {
      this.logger.warn(`${attempts.length} claim(s) not handed back (${String(error)}); the sweeper sends them when the claims expire`);
    });
    await this.queue.deliver(attempts.map((attempt) => attempt.job));
  }
}
