import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { collectRoutes } from '@cairn/api-policy';
import { exitOnStartupFailure } from '@cairn/config';
import { loadApiConfig } from './config/api-config';
import { createLogger, NestPinoLogger } from '@cairn/logging';
import { httpsServerOptions } from '@cairn/transport-security';
import { ApiModule } from './api.module';
import { CONSOLE_FILES } from './console/console.controller';
import type { ConsoleFiles } from './console/console-files';

async function bootstrap(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger('cairn-api', config.logLevel);
  const tls = config.http.tls;
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    ...(tls && { https: httpsServerOptions(tls) }),
    // Only these proxies' X-Forwarded-For is believed; without them the peer is the client.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
  });
  // Every route must declare its route policy; one that does not stops the start-up.
  const routes = collectRoutes(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, logger), adapter, {
    logger: new NestPinoLogger(logger),
  });
  app.useGlobalPipes(new ValidationPipe({ transform: true, forbidUnknownValues: true }));
  app.enableShutdownHooks();
  await app.init();
  routes.assertEveryRoute();
  await app.listen(config.http.port, config.http.host);
  logger.info(
    {
      graphql: `${tls ? 'https' : 'http'}://${config.http.host}:${config.http.port}/graphql`,
      console: app.get<ConsoleFiles>(CONSOLE_FILES).built
        ? `${tls ? 'https' : 'http'}://${config.http.host}:${config.http.port}/console`
        : 'not built (npm run build)',
      clientCertificates: tls?.clientCa !== undefined,
      mode: config.production ? 'production' : 'development',
    },
    'api listening',
  );
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('cairn-api', error));
