import 'reflect-metadata';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Args, Field, Int, ObjectType, Query, Resolver, GraphQLModule } from '@nestjs/graphql';

/**
 * One Nest GraphQL app, code-first, served by the driver named on the command line. The resolver
 * returns a page shaped like Cairn's events query, so the measurement is the driver's cost for
 * parsing, validating, executing and serializing that shape.
 */
@ObjectType()
class Actor {
  @Field() name!: string;
  @Field(() => [String]) groups!: string[];
  @Field(() => [String]) sourceIps!: string[];
  @Field({ nullable: true }) userAgent?: string;
}

@ObjectType()
class Kubernetes {
  @Field() verb!: string;
  @Field() resource!: string;
  @Field({ nullable: true }) subresource?: string;
  @Field() namespace!: string;
  @Field() name!: string;
  @Field(() => Int) responseCode!: number;
}

@ObjectType()
class Event {
  @Field() id!: string;
  @Field() timestamp!: string;
  @Field() action!: string;
  @Field() outcome!: string;
  @Field() message!: string;
  @Field(() => Actor) actor!: Actor;
  @Field(() => Kubernetes) kubernetes!: Kubernetes;
}

@ObjectType()
class Page {
  @Field(() => Int) totalCount!: number;
  @Field(() => [Event]) nodes!: Event[];
}

const EVENTS: Event[] = Array.from({ length: 500 }, (_, i) => ({
  id: i.toString(16).padStart(64, '0'),
  timestamp: new Date(Date.UTC(2026, 2, 14, 21, 0, i % 60)).toISOString(),
  action: 'pods/exec.create',
  outcome: 'SUCCESS',
  message: `alice@example.com pods/exec.create payments/checkout-${i} -> 101`,
  actor: {
    name: 'alice@example.com',
    groups: ['platform-admins', 'system:authenticated'],
    sourceIps: ['10.20.30.40'],
    userAgent: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
  },
  kubernetes: {
    verb: 'create',
    resource: 'pods',
    subresource: 'exec',
    namespace: 'payments',
    name: `checkout-${i}`,
    responseCode: 101,
  },
}));

@Resolver()
class EventsResolver {
  @Query(() => Page)
  events(@Args('first', { type: () => Int, defaultValue: 50 }) first: number): Page {
    return { totalCount: EVENTS.length, nodes: EVENTS.slice(0, first) };
  }
}

@Module({})
class BenchModule {
  static with(driver: string): DynamicModule {
    const graphql =
      driver === 'mercurius'
        ? GraphQLModule.forRoot<MercuriusDriverConfig>({
            driver: MercuriusDriver,
            autoSchemaFile: true,
            graphiql: false,
          })
        : GraphQLModule.forRoot<ApolloDriverConfig>({
            driver: ApolloDriver,
            autoSchemaFile: true,
            playground: false,
          });
    return { module: BenchModule, imports: [graphql], providers: [EventsResolver] };
  }
}

async function main(): Promise<void> {
  const [driver, port] = process.argv.slice(2);
  const app =
    driver === 'mercurius'
      ? await NestFactory.create(BenchModule.with(driver), new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BenchModule.with(driver), { logger: false });
  await app.listen(Number(port), '127.0.0.1');
  process.send?.('listening');
}

void main();
