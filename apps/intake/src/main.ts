import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { exitOnStartupFailure } from '@cairn/config';
import { loadIntakeAppConfig } from '@cairn/intake';
import { IntakeHandler, intakeRefusalBody } from '@cairn/intake';
import { createLogger, NestPinoLogger } from '@cairn/logging';
import { httpsServerOptions } from '@cairn/transport-security';
import { peerOf, type IntakeRouteConfig } from './intake.controller';
import { IntakeModule } from './intake.module';

async function bootstrap(): Promise<void> {
  const config = loadIntakeAppConfig();
  const logger = createLogger('cairn-intake', config.logLevel);
  const tls = config.http.tls;
  const adapter = new FastifyAdapter({
    // The compressed body as sent; the decompressed size is checked while gunzipping.
    bodyLimit: config.maxBodyBytes,
    ...(tls && { https: httpsServerOptions(tls) }),
  });
  const fastify = adapter.getInstance();
  // The intake passes bodies on as bytes: no JSON parsing here (ingest reads the events), and
  // the media type is checked per source, so every type is read raw.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const app = await NestFactory.create<NestFastifyApplication>(
    IntakeModule.forRoot(config, logger),
    adapter,
    {
      logger: new NestPinoLogger(logger),
      // Nest's JSON parser would parse bodies the intake only passes on.
      bodyParser: false,
    },
  );
  // Who may send is decided from the matched route's declared source, from the headers alone,
  // before the body is read.
  const handler = app.get(IntakeHandler);
  fastify.addHook('onRequest', async (request, reply) => {
    const source = (request.routeOptions.config as Partial<IntakeRouteConfig> | undefined)?.intakeSource;
    if (source === undefined) return;
    const refused = handler.precheck(
      source,
      { headers: request.headers, body: undefined, query: request.query as Record<string, unknown> },
      peerOf(request),
    );
    if (!refused || !('error' in refused)) return;
    logger.warn(
      { source, sender: refused.sender, status: refused.status, code: refused.error.code, peer: request.ip },
      `intake refused a request: ${refused.error.message}`,
    );
    await reply.code(refused.status).send(intakeRefusalBody(refused.error));
    return reply;
  });
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  logger.info(
    {
      url: `${tls ? 'https' : 'http'}://${config.http.host}:${config.http.port}/intake/v1/`,
      senders: config.credentials.length,
      clientCertificates: tls?.clientCa !== undefined,
    },
    'intake listening',
  );
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('cairn-intake', error));
