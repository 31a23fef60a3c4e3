/** The few calls of Caravan's REST API the demo makes, with one key; errors carry Caravan's own message. */
export class CaravanApi {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  withKey(key: string): CaravanApi {
    return new CaravanApi(this.baseUrl, key);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: object): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  async delete(path: string): Promise<void> {
    await this.request<unknown>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: object): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) {
      // Caravan's errors are { status, error, message, field? }: the message is the useful part.
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: show it as it came
      }
      throw new Error(`${method} /api/v1${path} answered ${response.status}: ${message}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
