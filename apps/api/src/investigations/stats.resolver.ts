import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { EventAggregations, TooManyBucketsError } from '@cairn/elasticsearch-store';
import { forbidden } from '../auth/auth-errors';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { toSearchFilter } from './search-filter';
import { HistogramArgs, StatsArgs } from './stats.args';
import { Bucket, StatsField, TimeBucket } from './stats.model';

/** Top values and event counts over time, over the same filters as `events`. */
@Resolver()
export class StatsResolver {
  constructor(private readonly aggregations: EventAggregations) {}

  @Query(() => [Bucket], { description: 'The most frequent values of a field, with their counts.' })
  @Roles('admin', 'investigator', 'auditor')
  async eventStats(
    @Args() args: StatsArgs,
    @Context('req') request: AuthenticatedRequest,
  ): Promise<Bucket[]> {
    const role = request.principal?.role;
    // Client addresses are for investigators (as actor.sourceIps is).
    if (args.field === StatsField.SOURCE_IP && role !== 'admin' && role !== 'investigator') {
      throw forbidden('eventStats(field: SOURCE_IP)');
    }
    return this.aggregations.stats(toSearchFilter(args.filter), args.field, args.size);
  }

  @Query(() => [TimeBucket], { description: 'Events per interval, oldest first; empty intervals left out.' })
  @Roles('admin', 'investigator', 'auditor')
  async eventHistogram(@Args() args: HistogramArgs): Promise<TimeBucket[]> {
    try {
      return await this.aggregations.histogram(toSearchFilter(args.filter), args.interval);
    } catch (error) {
      if (error instanceof TooManyBucketsError) {
        throw new GraphQLError(`interval: ${error.message}; widen the interval or narrow from/to`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      throw error;
    }
  }
}
