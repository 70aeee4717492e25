import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { assertMayAggregate, type PolicedRequest } from '@cairn/api-policy';
import { EventAggregations, STATS_FIELDS, TooManyBucketsError } from '@cairn/elasticsearch-store';
import { badInput } from './connection';
import { Roles } from '../auth/roles.decorator';
import { toSearchFilter } from './search-filter';
import { HistogramArgs, StatsArgs } from './stats.args';
import { Bucket, TimeBucket } from './stats.model';

/** Top values and event counts over time, over the same filters as `events`. */
@Resolver()
export class StatsResolver {
  constructor(private readonly aggregations: EventAggregations) {}

  @Query(() => [Bucket], { description: 'The most frequent values of a field, with their counts.' })
  @Roles('admin', 'investigator', 'auditor')
  async eventStats(@Args() args: StatsArgs, @Context('req') request: PolicedRequest): Promise<Bucket[]> {
    assertMayAggregate(request.principal?.role, STATS_FIELDS[args.field]);
    return this.aggregations.stats(toSearchFilter(args.filter, request.principal), args.field, args.size);
  }

  @Query(() => [TimeBucket], { description: 'Events per interval, oldest first; empty intervals left out.' })
  @Roles('admin', 'investigator', 'auditor')
  async eventHistogram(
    @Args() args: HistogramArgs,
    @Context('req') request: PolicedRequest,
  ): Promise<TimeBucket[]> {
    try {
      return await this.aggregations.histogram(toSearchFilter(args.filter, request.principal), args.interval);
    } catch (error) {
      if (error instanceof TooManyBucketsError) {
        throw badInput(`interval: ${error.message}; widen the interval or narrow from/to`);
      }
      throw error;
    }
  }
}
