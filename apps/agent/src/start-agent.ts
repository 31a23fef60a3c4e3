import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { CaravanConfig, CaravanLogger } from '@caravan/common';
import { InfrastructureModule } from '@caravan/database';
import { AgentModule } from './agent.module';

export interface RunningAgent {
  app: NestFastifyApplication;
  url: string;
}

@Module({})
class AgentRootModule {}

/** Starts the data plane alone; over HTTP it serves only its health probes. */
export async function startAgent(config: CaravanConfig): Promise<RunningAgent> {
  const app = await NestFactory.create<NestFastifyApplication>(
    { module: AgentRootModule, imports: [InfrastructureModule.forRoot(config), AgentModule.forRoot(config)] },
    new FastifyAdapter(),
    { logger: new CaravanLogger(config) },
  );
  app.enableShutdownHooks();
  await app.listen(config.agent.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.agent.port;
  return { app, url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}` };
}
