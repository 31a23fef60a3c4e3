import { setTimeout as sleep } from 'node:timers/promises';
import { SignatureOptions } from '@caravan/signatures';
import { CaravanApi } from './caravan-api';
import { EchoReceiver, ReceivedWebhook } from './echo-receiver';

interface Project {
  id: string;
  name: string;
  config: { signature: SignatureOptions };
}
interface CreatedApiKey {
  key: string;
}
interface Endpoint {
  id: string;
}
interface EndpointSecret {
  secret: string;
}
interface CaravanEvent {
  id: string;
  event_type: string;
  routed_at: string | null;
}
interface Delivery {
  id: string;
  event_id: string;
  status: string;
  attempt_count: number;
}
interface DeliveryWithAttempts extends Delivery {
  attempts: { attempt_number: number; response: { status_code: number } | null; error: string | null }[];
}
interface Page<T> {
  data: T[];
}

const SUBSCRIBED_TYPES = ['invoice.*'];
// The receiver answers 503 to this event's first try, so the demo shows a retry.
const FLAKY_EVENT_TYPE = 'invoice.paid';
interface DemoEvent {
  event_type: string;
  data: object;
  note: string;
  subscribed: boolean;
}
const DEMO_EVENTS: DemoEvent[] = [
  {
    event_type: 'invoice.created',
    data: { invoice_id: 'inv_1001', amount: 4200, currency: 'EUR' },
    note: '',
    subscribed: true,
  },
  {
    event_type: FLAKY_EVENT_TYPE,
    data: { invoice_id: 'inv_1001', amount: 4200, currency: 'EUR' },
    note: 'the receiver will refuse its first try',
    subscribed: true,
  },
  {
    event_type: 'customer.updated',
    data: { customer_id: 'cus_42', plan: 'pro' },
    note: 'no subscription matches it',
    subscribed: false,
  },
];
const FINAL_STATUSES = new Set(['success', 'failure', 'discarded']);
const TYPE_WIDTH = 18;

/** What the demo does through the API, step by step, printing a line or two per step. */
export class DemoScenario {
  projectId: string | null = null;
  private projectApi: CaravanApi | null = null;
  private sent: { event: CaravanEvent; subscribed: boolean }[] = [];

  constructor(
    private readonly root: CaravanApi,
    private readonly receiver: EchoReceiver,
    private readonly say: (line: string) => void,
  ) {}

  async setUp(): Promise<void> {
    const project = await this.root.post<Project>('/projects', { name: 'Caravan demo' });
    this.projectId = project.id;
    this.say(`  project        "${project.name}" (${project.config.signature.scheme} signatures)`);

    // The root key manages projects; everything inside one goes through the project's own key.
    const apiKey = await this.root.post<CreatedApiKey>(`/projects/${project.id}/api-keys`, { name: 'demo' });
    this.projectApi = this.root.withKey(apiKey.key);
    this.say(`  API key        ${apiKey.key.slice(0, 12)}... (shown once at creation; used from here on)`);

    // A 1 s linear retry instead of the default 10 s exponential, so the retry shows up quickly.
    const endpoint = await this.api.post<Endpoint>(`/projects/${project.id}/endpoints`, {
      name: 'demo receiver',
      url: this.receiver.url,
      retry: { strategy: 'linear', interval_seconds: 1, retry_count: 3 },
    });
    // The secret is never in endpoint answers: this call is the one that reveals it.
    const { secret } = await this.api.get<EndpointSecret>(
      `/projects/${project.id}/endpoints/${endpoint.id}/secret`,
    );
    this.receiver.verifyWith(secret, project.config.signature);
    this.say(`  endpoint       ${this.receiver.url}  (secret ${secret.slice(0, 10)}..., retry every 1 s)`);

    await this.api.post(`/projects/${project.id}/subscriptions`, {
      name: 'invoices',
      endpoint_id: endpoint.id,
      event_types: SUBSCRIBED_TYPES,
    });
    this.say(`  subscription   ${SUBSCRIBED_TYPES.join(', ')}`);
  }

  async sendEvents(): Promise<void> {
    this.receiver.answer((eventType, attempt) =>
      eventType === FLAKY_EVENT_TYPE && attempt === 1 ? 503 : 200,
    );
    this.receiver.onEachWebhook((webhook) => this.say(describeWebhook(webhook)));
    for (const { event_type, data, note, subscribed } of DEMO_EVENTS) {
      const event = await this.api.post<CaravanEvent>(`/projects/${this.requireProject()}/events`, {
        event_type,
        data,
      });
      this.sent.push({ event, subscribed });
      this.say(
        `  sent      ->  ${event_type}${note ? `${' '.repeat(TYPE_WIDTH - event_type.length)}  (${note})` : ''}`,
      );
    }
  }

  /** Waits until every event is routed and every delivery has finished; false on timeout. */
  async awaitDeliveries(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.allSettled()) return true;
      await sleep(250);
    }
    return false;
  }

  /** Prints the deliveries as the API reports them; true when the demo worked end to end. */
  async report(): Promise<boolean> {
    const deliveries = await this.deliveries();
    let worked = this.receiver.received.every((webhook) => webhook.signatureProblem === null);
    for (const { event, subscribed } of this.sent) {
      const type = event.event_type.padEnd(TYPE_WIDTH);
      const own = deliveries.filter((delivery) => delivery.event_id === event.id);
      if (own.length === 0) {
        this.say(
          `  ${type}  ${event.routed_at ? 'no delivery: no subscription matches it' : 'not routed yet'}`,
        );
        worked &&= !subscribed && event.routed_at !== null;
        continue;
      }
      for (const delivery of own) {
        const detailed = await this.api.get<DeliveryWithAttempts>(
          `/projects/${this.requireProject()}/deliveries/${delivery.id}`,
        );
        const answers = [...detailed.attempts]
          .sort((a, b) => a.attempt_number - b.attempt_number)
          .map((attempt) => attempt.response?.status_code ?? attempt.error ?? 'no answer')
          .join(', ');
        const attempts = `${detailed.attempt_count} attempt${detailed.attempt_count === 1 ? '' : 's'}`;
        this.say(`  ${type}  ${detailed.status.padEnd(8)} ${attempts.padEnd(11)} answers: ${answers}`);
        worked &&= subscribed && detailed.status === 'success';
      }
    }
    return worked;
  }

  /** Outside the embedded mode the project lives in the user's own database: leave nothing behind. */
  async removeProject(): Promise<void> {
    if (!this.projectId) return;
    try {
      await this.root.delete(`/projects/${this.projectId}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${reason}; project ${this.projectId} ("Caravan demo") stays, delete it with the API`, {
        cause: error,
      });
    }
    this.projectId = null;
  }

  private async allSettled(): Promise<boolean> {
    const deliveries = await this.deliveries();
    if (!deliveries.every((delivery) => FINAL_STATUSES.has(delivery.status))) return false;
    for (const { event } of this.sent) {
      // routed_at says deliveries were created, so "no delivery" is final and not merely "not yet".
      if (!event.routed_at) {
        Object.assign(
          event,
          await this.api.get<CaravanEvent>(`/projects/${this.requireProject()}/events/${event.id}`),
        );
      }
      if (!event.routed_at) return false;
    }
    // A routed event's deliveries may have been created after the list above was read.
    const again = await this.deliveries();
    return (
      again.length === deliveries.length && again.every((delivery) => FINAL_STATUSES.has(delivery.status))
    );
  }

  private async deliveries(): Promise<Delivery[]> {
    const page = await this.api.get<Page<Delivery>>(
      `/projects/${this.requireProject()}/deliveries?limit=100`,
    );
    return page.data;
  }

  private get api(): CaravanApi {
    if (!this.projectApi) throw new Error('the demo project is not set up');
    return this.projectApi;
  }

  private requireProject(): string {
    if (!this.projectId) throw new Error('the demo project is not set up');
    return this.projectId;
  }
}

function describeWebhook(webhook: ReceivedWebhook): string {
  const signature =
    webhook.signatureProblem === null ? 'signature ok' : `signature BAD (${webhook.signatureProblem})`;
  return `  received  <-  ${webhook.eventType.padEnd(TYPE_WIDTH)}  attempt ${webhook.attempt}  ${signature}  answered ${webhook.status}`;
}
