import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';
import type { ApiConfig } from '@cairn/config';
import { createElasticsearchClient, elasticsearchReachable, EventSearch } from '@cairn/elasticsearch-store';
import { HealthController, READINESS_PROBES, type ReadinessProbe } from '@cairn/health';
import { createKafka, kafkaReachable } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';
import { AuthGuard } from './auth/auth.guard';
import { TokenAuthenticator } from './auth/token-authenticator';
import { formatGraphQLError } from './graphql/format-error';
import { EventsResolver } from './investigations/events.resolver';
import { ApiLifecycle, ELASTICSEARCH, KAFKA_ADMIN } from './api.lifecycle';

@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          introspection: !config.production,
          playground: false,
          includeStacktraceInErrorResponses: false,
          context: ({ req }: { req: unknown }) => ({ req }),
          formatError: (formatted, error) => {
            const result = formatGraphQLError(formatted);
            if (result.extensions?.code === 'INTERNAL_SERVER_ERROR')
              logger.error({ err: error, path: formatted.path }, 'resolver failed');
            return result;
          },
        }),
      ],
      controllers: [HealthController],
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
          useFactory: (client: Client) => new EventSearch(client, config.elasticsearch.indexPrefix),
        },
        {
          provide: READINESS_PROBES,
          inject: [KAFKA_ADMIN, ELASTICSEARCH],
          useFactory: (admin: Admin, client: Client): ReadinessProbe[] => [
            { name: 'kafka', check: () => kafkaReachable(admin) },
            { name: 'elasticsearch', check: () => elasticsearchReachable(client) },
          ],
        },
        ApiLifecycle,
        EventsResolver,
      ],
    };
  }
}
