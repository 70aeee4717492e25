import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FeedState } from '@cairn/feed';
import { DateTimeScalar } from '../graphql/date-time.scalar';

registerEnumType(FeedState, {
  name: 'FeedState',
  description:
    'CURRENT: nothing waiting. DELIVERING: records waiting, delivered recently. NEVER_DELIVERED: ' +
    'records waiting, nothing committed yet. STALLED: records waiting, no delivery within the ' +
    "feed's stalledAfterSeconds (the feed process is down or stuck). FAILING: the last attempt " +
    'failed. BEHIND_RETENTION: records expired from the feed topic before delivery.',
});

@ObjectType({ description: 'A delivery that failed: when, and what the receiver (or the network) said.' })
export class FeedDeliveryError {
  @Field(() => DateTimeScalar) at!: Date;
  @Field() message!: string;
}

@ObjectType({ description: "One partition of the feed topic and the feed's place in it." })
export class FeedPartitionStatus {
  @Field(() => Int) partition!: number;
  @Field(() => String, {
    nullable: true,
    description: 'The next offset the feed delivers; null before its first commit (it starts at the oldest).',
  })
  position!: string | null;
  @Field({ description: "The partition's end offset." }) end!: string;
  @Field(() => Float, { description: 'Records not yet delivered.' }) lag!: number;
  @Field(() => Float, { description: 'Records deleted by retention before this feed delivered them.' })
  missedByRetention!: number;
}

@ObjectType({ description: 'A push feed of CAIRN_CONFIG, as its consumer group in Kafka shows it.' })
export class FeedStatus {
  @Field() name!: string;
  @Field({ description: 'syslog or hec.' }) transport!: string;
  @Field({ description: 'host:port of a syslog receiver, the base URL of a HEC collector.' })
  target!: string;
  @Field({ description: 'The Kafka consumer group whose commits are the feed position.' })
  consumerGroup!: string;
  @Field() topic!: string;
  @Field(() => FeedState) state!: FeedState;
  @Field(() => Float) lag!: number;
  @Field(() => Float) missedByRetention!: number;
  @Field(() => DateTimeScalar, { nullable: true }) lastDeliveryAt!: Date | null;
  @Field(() => FeedDeliveryError, { nullable: true }) lastError!: FeedDeliveryError | null;
  @Field(() => Int) stalledAfterSeconds!: number;
  @Field(() => [FeedPartitionStatus]) partitions!: FeedPartitionStatus[];
}
