import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import {
  GRAPHQL_POLICY,
  graphqlOperationHook,
  policyConfig,
  TokenAuthenticator,
  type PolicedRequest,
} from '@cairn/api-policy';
import { defaultErrorFormatter } from 'mercurius';
import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';
import type { ApiConfig } from './config/api-config';
import {
  createElasticsearchClient,
  elasticsearchReachable,
  ComplianceAggregations,
  CursorCodec,
  EventAggregations,
  EventSearch,
} from '@cairn/elasticsearch-store';
import { HealthController, READINESS, READINESS_DETAIL, Readiness } from '@cairn/health';
import { createKafka, kafkaReachable } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';
import { AccessAuditWriter } from '@cairn/access-audit';
import { FeedCursorCodec, FeedExport, FeedStatusReader, KafkaWatermarks } from '@cairn/feed';
import { FEED_HEC_INDEX, LOGGER, RATE_LIMIT_PER_MINUTE, SERVES_HTTPS } from './injection-tokens';
import { FeedController } from './feed/feed.controller';
import { FeedStatusResolver } from './feed/feed-status.resolver';
import { CheckpointIndex, CheckpointLog, IntegrityAudit } from '@cairn/integrity-store';
import { IntegrityResolver } from './integrity/integrity.resolver';
import { accessTrailOf, type AccessTrail } from './integrity/access-chain';
import { AuthGuard } from './auth/auth.guard';
import { CONSOLE_FILES, ConsoleController } from './console/console.controller';
import { ConsoleFiles } from './console/console-files';
import { ViewerResolver } from './auth/viewer.resolver';
import { RoutePolicyInstaller } from './policy/route-policy.installer';
import { flattenErrors, formatGraphQLError } from './graphql/format-error';
import { DateTimeScalar } from './graphql/date-time.scalar';
import { ComplianceReporter } from './compliance/compliance-reporter';
import { ComplianceResolver } from './compliance/compliance.resolver';
import { ActorResolver } from './investigations/actor.resolver';
import { StatsResolver } from './investigations/stats.resolver';
import { EventsResolver } from './investigations/events.resolver';
import { ACCESS_TRAIL, ApiLifecycle, ELASTICSEARCH, KAFKA_ADMIN } from './api.lifecycle';

@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          graphiql: false,
          // Mercurius measured 2.3x Apollo's throughput on this schema (npm run bench:graphql-driver).
          jit: 1,
          queryDepth: 12,
          // The route declares its policy; the policy hooks read it from the route Fastify matched.
          additionalRouteOptions: { config: policyConfig(GRAPHQL_POLICY) },
          hooks: { preExecution: [graphqlOperationHook(config.maxQueryCost)] },
          // Development allows introspection, and only to authenticated callers (the route policy
          // refuses every request without a valid token before GraphQL runs).
          validationRules: config.production ? [NoSchemaIntrospectionCustomRule] : [],
          buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
          errorFormatter: (execution, context) => {
            const { statusCode } = defaultErrorFormatter(execution, context);
            const errors = flattenErrors(execution.errors).map((error) =>
              formatGraphQLError(error, (internal) =>
                logger.error(
                  { err: internal.originalError ?? internal, path: internal.path },
                  'resolver failed',
                ),
              ),
            );
            return { statusCode, response: { data: execution.data ?? null, errors } };
          },
        }),
      ],
      controllers: [HealthController, FeedController, ConsoleController],
      providers: [
        { provide: TokenAuthenticator, useValue: new TokenAuthenticator(config.tokens) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: ELASTICSEARCH, useFactory: () => createElasticsearchClient(config.elasticsearch) },
        {
          provide: KAFKA_ADMIN,
          useFactory: () =>
            createKafka(config.kafka, { log: (level, msg, fields) => logger[level](fields, msg) }).admin(),
        },
        {
          provide: EventSearch,
          inject: [ELASTICSEARCH],
          useFactory: (client: Client) =>
            new EventSearch(client, config.elasticsearch.indexPrefix, new CursorCodec(config.cursorSecret), {
              timeoutMs: config.queryTimeoutMs,
              maxOpenPitPerCaller: config.maxOpenPagings,
              replicas: config.elasticsearch.replicas,
            }),
        },
        {
          provide: READINESS,
          inject: [KAFKA_ADMIN, ELASTICSEARCH],
          useFactory: (admin: Admin, client: Client) =>
            new Readiness(
              [
                { name: 'kafka', check: () => kafkaReachable(admin) },
                { name: 'elasticsearch', check: () => elasticsearchReachable(client) },
              ],
              config.readinessThresholdMs,
            ),
        },
        { provide: LOGGER, useValue: logger },
        // Built beside the API's bundle: dist/apps/api/main.js serves dist/console.
        {
          provide: CONSOLE_FILES,
          useFactory: () => ConsoleFiles.load(join(__dirname, '..', '..', 'console')),
        },
        {
          provide: ACCESS_TRAIL,
          inject: [ELASTICSEARCH, ComplianceReporter],
          useFactory: (client: Client, reporter: ComplianceReporter) =>
            accessTrailOf(client, config, logger, (document) => reporter.engine.tag(document)),
        },
        {
          provide: AccessAuditWriter,
          inject: [ACCESS_TRAIL],
          useFactory: (trail: AccessTrail) => trail.writer,
        },
        { provide: RATE_LIMIT_PER_MINUTE, useValue: config.rateLimitPerMinute },
        { provide: SERVES_HTTPS, useValue: config.http.tls !== undefined },
        { provide: FEED_HEC_INDEX, useValue: config.feed.hecIndex },
        {
          provide: FeedExport,
          inject: [ELASTICSEARCH, KAFKA_ADMIN],
          useFactory: (client: Client, admin: Admin) =>
            new FeedExport(
              client,
              config.elasticsearch.indexPrefix,
              new KafkaWatermarks(admin, config.ingest.consumerGroup, config.ingest.rawTopics),
              new FeedCursorCodec(config.cursorSecret),
              {
                timeoutMs: config.queryTimeoutMs,
                // An access record's write ends within the request timeout, or fails; then one refresh.
                ownRecordSettleMs: config.elasticsearch.requestTimeoutMs + 10_000,
              },
            ),
        },
        {
          provide: IntegrityAudit,
          inject: [ELASTICSEARCH],
          useFactory: (client: Client) =>
            config.integrity.enabled
              ? new IntegrityAudit({
                  client,
                  indexPrefix: config.elasticsearch.indexPrefix,
                  checkpoints: new CheckpointIndex(client, config.elasticsearch.indexPrefix),
                  log: new CheckpointLog(config.integrity.checkpointDir),
                  trustedKeys: config.integrity.trustedKeys,
                  checkpointSeconds: config.integrity.checkpointSeconds,
                  threads: { count: config.integrity.verifyThreads, elasticsearch: config.elasticsearch },
                })
              : undefined,
        },
        IntegrityResolver,
        {
          provide: FeedStatusReader,
          inject: [KAFKA_ADMIN],
          useFactory: (admin: Admin) => new FeedStatusReader(admin, config.feed),
        },
        FeedStatusResolver,
        RoutePolicyInstaller,
        {
          provide: READINESS_DETAIL,
          useValue: (request: PolicedRequest) => request.principal?.role === 'admin',
        },
        ApiLifecycle,
        EventsResolver,
        ActorResolver,
        StatsResolver,
        ComplianceResolver,
        ViewerResolver,
        {
          provide: ComplianceReporter,
          inject: [ELASTICSEARCH],
          useFactory: (client: Client) =>
            new ComplianceReporter(
              config.compliance,
              new ComplianceAggregations(client, config.elasticsearch.indexPrefix, {
                timeoutMs: config.queryTimeoutMs,
              }),
            ),
        },
        {
          provide: EventAggregations,
          inject: [ELASTICSEARCH],
          useFactory: (client: Client) =>
            new EventAggregations(client, config.elasticsearch.indexPrefix, {
              timeoutMs: config.queryTimeoutMs,
            }),
        },
      ],
    };
  }
}
