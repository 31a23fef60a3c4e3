import { type Client, createClient, createConfig } from './generated/client';

export interface CaravanClientOptions {
  /** Where Caravan answers, without `/api/v1`: `http://127.0.0.1:5005`. */
  baseUrl: string;
  /** The root key (projects and their API keys) or a project API key (everything inside that project). */
  apiKey: string;
  /** Replaces the global fetch (a proxy, a test double, a runtime without one). */
  fetch?: typeof fetch;
}

/**
 * A client for the generated functions' `client` option: `createEndpoint({ client, path, body })`.
 * The key goes out as `Authorization: Bearer <key>` on every route the document says needs one.
 */
export function createCaravanClient(options: CaravanClientOptions): Client {
  return createClient(
    createConfig({
      baseUrl: options.baseUrl,
      auth: options.apiKey,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  );
}
