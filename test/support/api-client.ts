export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Talks to a running API over HTTP, as any client of Caravan would. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly key?: string,
  ) {}

  withKey(key: string): ApiClient {
    return new ApiClient(this.baseUrl, key);
  }

  get<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.request('GET', path);
  }

  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request('POST', path, body);
  }

  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request('PATCH', path, body);
  }

  delete<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.request('DELETE', path);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
