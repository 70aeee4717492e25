import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { exitOnStartupFailure, loadFeedAppConfig } from '@cairn/config';
import { createLogger, NestPinoLogger } from '@cairn/logging';
import { FeedModule } from './feed.module';

async function bootstrap(): Promise<void> {
  const config = loadFeedAppConfig();
  const logger = createLogger('cairn-feed', config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    FeedModule.forRoot(config, logger),
    new FastifyAdapter(),
    {
      logger: new NestPinoLogger(logger),
    },
  );
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, 'feed health endpoints listening');
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('cairn-feed', error));
