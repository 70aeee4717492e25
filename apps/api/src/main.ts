import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { exitOnStartupFailure, loadApiConfig } from '@cairn/config';
import { createLogger, NestPinoLogger } from '@cairn/logging';
import { ApiModule } from './api.module';

async function bootstrap(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger('cairn-api', config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, logger),
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { logger: new NestPinoLogger(logger) },
  );
  app.useGlobalPipes(new ValidationPipe({ transform: true, forbidUnknownValues: true }));
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  logger.info({ graphql: `http://${config.http.host}:${config.http.port}/graphql` }, 'api listening');
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('cairn-api', error));
