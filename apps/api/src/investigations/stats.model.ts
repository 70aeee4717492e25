import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';

export enum StatsField {
  ACTOR = 'actor',
  ACTION = 'action',
  NAMESPACE = 'namespace',
  POD = 'pod',
  IMAGE = 'image',
  SOURCE_IP = 'sourceIp',
  PRODUCT = 'product',
  OUTCOME = 'outcome',
  RULE = 'rule',
  CONTAINER = 'container',
  REGISTRY = 'registry',
}
registerEnumType(StatsField, { name: 'StatsField', description: 'What eventStats counts by.' });

@ObjectType({ description: 'One value and how many events carry it.' })
export class Bucket {
  @Field() key!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Events in one interval, by their own timestamp.' })
export class TimeBucket {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => Int) count!: number;
}
