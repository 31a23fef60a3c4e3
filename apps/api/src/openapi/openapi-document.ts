import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { loadConfig } from '@caravan/common';
import { apiRootModule } from '../api-root.module';

/** Where `npm run openapi` writes the document, from the repository root; the SDK is generated from it. */
export const OPENAPI_DOCUMENT_FILE = 'openapi/caravan.openapi.json';

/**
 * The OpenAPI document of the running api (served at /docs/openapi.json) and of `npm run openapi`:
 * one function, so the committed file and the served document cannot drift apart.
 */
export function createOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Caravan')
      .setDescription('Webhooks gateway: send events, Caravan delivers them as signed webhooks.')
      .setVersion(version)
      .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
      // Relative: the document is served by each Caravan, wherever it runs; SDK users set baseUrl.
      .addServer('/', 'The Caravan serving this document')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Root key or project API key' })
      // Every route needs a key unless it says otherwise (health probes and ingest set `security: []`).
      .addSecurityRequirements('bearer')
      .build(),
  );
  return sortedDocument(document);
}

/**
 * Builds the document with no database, queue or port: Nest's preview mode resolves the module
 * graph without instantiating providers, and Swagger reads only controllers' metadata.
 */
export async function previewOpenApiDocument(): Promise<OpenAPIObject> {
  // Defaults only: nothing of the caller's environment may change the document.
  const config = loadConfig({});
  const app = await NestFactory.create(apiRootModule(config), new FastifyAdapter(), {
    preview: true,
    logger: ['error'],
  });
  try {
    return createOpenApiDocument(app, config.version);
  } finally {
    await app.close();
  }
}

/** Paths and component names in alphabetical order, so the committed file diffs by route, not by module order. */
function sortedDocument(document: OpenAPIObject): OpenAPIObject {
  const components = document.components
    ? Object.fromEntries(Object.entries(document.components).map(([kind, entries]) => [kind, sortedKeys(entries)]))
    : undefined;
  return { ...document, paths: sortedKeys(document.paths), ...(components ? { components } : {}) };
}

function sortedKeys<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
