import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { ComplianceResolver } from '../compliance/compliance.resolver';
import { FeedStatusResolver } from '../feed/feed-status.resolver';
import { IntegrityResolver } from '../integrity/integrity.resolver';
import { ViewerResolver } from '../auth/viewer.resolver';
import { ActorResolver } from '../investigations/actor.resolver';
import { EventsResolver } from '../investigations/events.resolver';
import { StatsResolver } from '../investigations/stats.resolver';

/**
 * schema.gql (repository root) is the API's contract, committed so a change to it shows in review.
 * This test fails when the code-first schema drifts from it; UPDATE_GOLDEN=1 rewrites the file.
 */
const SCHEMA_FILE = join(__dirname, '..', '..', '..', '..', 'schema.gql');

it('matches the committed schema.gql', async () => {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app
    .get(GraphQLSchemaFactory)
    .create([
      EventsResolver,
      StatsResolver,
      ActorResolver,
      ComplianceResolver,
      FeedStatusResolver,
      IntegrityResolver,
      ViewerResolver,
    ]);
  await app.close();
  const printed = `# Generated from the code-first resolvers; do not edit (UPDATE_GOLDEN=1 npm run test:unit).\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(SCHEMA_FILE, printed);
  expect(printed).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
});
