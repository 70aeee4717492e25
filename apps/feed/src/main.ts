import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { exitOnStartupFailure } from '@cairn/config';
import { loadFeedAppConfig } from './config/feed-app-config';
import { createLogger, NestPinoLogger } from '@cairn/logging';
import { FeedModule } from './feed.module';

async function bootstrap(): Promise<void> {
  const config = loadFeedAppConfig();
  const logger = createLogger('cairn-feed', config.logLevel);
  // Refused credentials, trust or client certificate at start-up: said once, exit status 1.
  const onRefused = (reason: string) => {
    console.error(`cairn-feed: ${reason}`);
    void app.close().finally(() => process.exit(1));
  };
  const app = await NestFactory.create<NestFastifyApplication>(
    FeedModule.forRoot(config, logger, onRefused),
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
