import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { CaravanConfig, CaravanLogger, InvalidInputError } from '@caravan/common';
import { EnsureRootKey, RootKeyOrigin } from '@caravan/projects';
import { apiRootModule } from './api-root.module';
import { AllErrorsFilter } from './errors/all-errors.filter';
import { createValidationPipe } from './errors/validation';
import { captureRawBodies, limitIngestBodies } from './ingest/request-bodies';
import { RequestTracingInterceptor } from './telemetry/request-tracing.interceptor';
import { createOpenApiDocument } from './openapi/openapi-document';

export interface RunningApi {
  app: NestFastifyApplication;
  url: string;
  rootKey: RootKeyOrigin;
}

/**
 * Starts the control plane. `alongside` adds modules to the same application: `npm start`
 * passes the agent so both share one process, one pool and one HTTP port.
 */
export async function startApi(
  config: CaravanConfig,
  alongside: DynamicModule[] = [],
  options: { closeOnSignals: boolean } = { closeOnSignals: true },
): Promise<RunningApi> {
  const app = await NestFactory.create<NestFastifyApplication>(
    apiRootModule(config, alongside),
    new FastifyAdapter({ bodyLimit: config.api.bodyLimitBytes }),
    // Nest's own parsers (JSON and urlencoded) are added at init, after acceptOnlyJsonObjects has
    // run, so a form body would be accepted; ours (captureRawBodies) are the only ones we want.
    { logger: new CaravanLogger(config), bodyParser: false },
  );
  acceptOnlyJsonObjects(app);
  limitIngestBodies(app);
  app.useGlobalFilters(new AllErrorsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new RequestTracingInterceptor());
  // A caller that must close more after the app (the embedded database) handles signals itself.
  if (options.closeOnSignals) app.enableShutdownHooks();

  const document = createOpenApiDocument(app, config.version);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  await app.listen(config.api.port, config.host);
  const rootKey = await app.get(EnsureRootKey).execute();
  return { app, url: listeningUrl(app, config), rootKey };
}

/**
 * Bodies are JSON objects: other content types get 415, arrays and scalars get 400. Sources' ingest
 * routes are the exception: they take any bytes (see captureRawBodies).
 */
function acceptOnlyJsonObjects(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  captureRawBodies(app);
  fastify.addHook('preHandler', async (request) => {
    const body: unknown = request.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      throw new InvalidInputError('request body must be a JSON object');
    }
  });
}

export function listeningUrl(app: NestFastifyApplication, config: CaravanConfig): string {
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
}

/** What a person starting Caravan needs to see, in a few lines. */
export function describeApi(api: RunningApi): string {
  const lines = [`Caravan API: ${api.url}/api/v1   docs: ${api.url}/docs`];
  if (api.rootKey.origin === 'generated-now') lines.push(...rootKeyLines(api.rootKey.key), '');
  return lines.join('\n');
}

/** The first start's generated root key, printed once: only its hash is stored. */
export function rootKeyLines(key: string): string[] {
  return ['', 'Root API key (shown once, stored only as a hash; set CARAVAN_ROOT_API_KEY to choose your own):', `  ${key}`];
}
