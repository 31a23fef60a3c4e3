/** The few REST calls the bench makes to set Caravan up; a failure names the call and Caravan's message. */
export class CaravanRestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  withKey(key: string): CaravanRestClient {
    return new CaravanRestClient(this.baseUrl, key);
  }

  async post<T>(path: string, body: object): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`POST /api/v1${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}
