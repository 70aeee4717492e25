import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { exitOnStartupFailure } from '@cairn/config';
import { loadIngestConfig } from './config/ingest-config';
import { createLogger, NestPinoLogger } from '@cairn/logging';
import { IngestModule } from './ingest.module';

async function bootstrap(): Promise<void> {
  const config = loadIngestConfig();
  const logger = createLogger('cairn-ingest', config.logLevel);
  // Refused credentials, trust or client certificate at start-up: said once, exit status 1.
  const onRefused = (reason: string) => {
    console.error(`cairn-ingest: ${reason}`);
    void app.close().finally(() => process.exit(1));
  };
  const app = await NestFactory.create<NestFastifyApplication>(
    IngestModule.forRoot(config, logger, onRefused),
    new FastifyAdapter(),
    {
      logger: new NestPinoLogger(logger),
    },
  );
  // Ends with process.exit after the hooks, not by re-raising the signal: the exit lets the async
  // logger write its last lines ("ingest stopped"), which a re-raised SIGTERM would cut off.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.listen(config.http.port, config.http.host);
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, 'ingest health endpoints listening');
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('cairn-ingest', error));
