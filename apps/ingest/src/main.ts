import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { exitOnStartupFailure, loadIngestConfig } from '@cairn/config';
import { createLogger, NestPinoLogger } from '@cairn/logging';
import { IngestModule } from './ingest.module';

async function bootstrap(): Promise<void> {
  const config = loadIngestConfig();
  const logger = createLogger('cairn-ingest', config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    IngestModule.forRoot(config, logger),
    new FastifyAdapter(),
    {
      logger: new NestPinoLogger(logger),
    },
  );
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, 'ingest health endpoints listening');
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('cairn-ingest', error));
