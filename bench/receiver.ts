import { ForkedChild } from './forked-child';
import { ReceiverMessage, ReceiverRunStats } from './receiver-protocol';

/** The bench's side of the receiver process: its address, and what it counted per run. */
export class Receiver {
  private nextId = 1;

  private constructor(private readonly child: ForkedChild<ReceiverMessage>) {}

  static async start(): Promise<Receiver> {
    return new Receiver(await ForkedChild.start<ReceiverMessage>('receiver', 'receiver-process'));
  }

  get pid(): number {
    return this.child.pid;
  }

  /** One path per endpoint, so that deliveries of one event to different endpoints stay apart. */
  url(endpoint: number): string {
    return `http://127.0.0.1:${this.child.port}/hook/${endpoint}`;
  }

  async stats(run: string): Promise<ReceiverRunStats> {
    const id = this.nextId++;
    this.child.send({ type: 'stats', id, run });
    const answer = await this.child.next((message) => message.type === 'stats' && message.id === id, 10_000);
    return (answer as Extract<ReceiverMessage, { type: 'stats' }>).stats;
  }

  /** Frees what the receiver keeps for a finished run (long soaks would otherwise grow it). */
  forget(run: string): void {
    this.child.send({ type: 'forget', run });
  }

  /**
   * Polls until `expected` distinct deliveries of the run have arrived, or until nothing new has
   * arrived for `quietMs`, or `timeoutMs` has passed. Returns the last stats.
   */
  async waitForDeliveries(
    run: string,
    expected: number,
    options: { timeoutMs: number; quietMs: number; onProgress?: (stats: ReceiverRunStats) => void },
  ): Promise<ReceiverRunStats> {
    const deadline = Date.now() + options.timeoutMs;
    let stats = await this.stats(run);
    let lastCount = stats.requests;
    let lastChange = Date.now();
    let lastReport = Date.now();
    while (
      stats.uniqueDeliveries < expected &&
      Date.now() < deadline &&
      Date.now() - lastChange < options.quietMs
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      stats = await this.stats(run);
      if (stats.requests !== lastCount) {
        lastCount = stats.requests;
        lastChange = Date.now();
      }
      if (options.onProgress && Date.now() - lastReport >= 5_000) {
        lastReport = Date.now();
        options.onProgress(stats);
      }
    }
    return stats;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
