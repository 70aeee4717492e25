import { ArgsType, Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsOptional } from 'class-validator';
import { FindingKind } from '@cairn/integrity';
import { DateTimeScalar } from '../graphql/date-time.scalar';

registerEnumType(FindingKind, {
  name: 'IntegrityFindingKind',
  description:
    'MODIFIED: content changed after it was stored. MISSING: chain positions with no event. INSERTED: an ' +
    'event with no valid position. REORDERED: events chained against the order they were read in. ' +
    'BAD_SIGNATURE: a checkpoint that does not verify. CHECKPOINT_GAP: a stretch with no checkpoint ' +
    '(the writer was stopped) or a checkpoint missing between two.',
});

@ArgsType()
export class IntegrityReportArgs {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Verify from the newest checkpoint before this time (default: from the start of every chain).',
  })
  @IsOptional()
  from?: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Up to the newest checkpoint at or before this time (default: now, the unsigned tail included).',
  })
  @IsOptional()
  to?: Date;
}

@ObjectType({ description: 'An event a finding concerns, where it is stored.' })
export class IntegrityEventReference {
  @Field() id!: string;
  @Field() index!: string;
  @Field(() => Int, { nullable: true }) seq!: number | null;
}

@ObjectType({
  description: 'One thing verification found wrong, with the events, positions or checkpoint involved.',
})
export class IntegrityFindingModel {
  @Field(() => FindingKind) kind!: FindingKind;
  @Field({ description: 'The chain (raw topic/partition); empty for events that belong to none.' })
  chain!: string;
  @Field() message!: string;
  @Field(() => Int, { nullable: true }) seqFrom!: number | null;
  @Field(() => Int, { nullable: true }) seqTo!: number | null;
  @Field(() => [IntegrityEventReference]) events!: IntegrityEventReference[];
  @Field(() => String, { nullable: true, description: 'The checkpoint concerned (its digest).' })
  checkpoint!: string | null;
  @Field(() => String, { nullable: true }) from!: string | null;
  @Field(() => String, { nullable: true }) to!: string | null;
}

@ObjectType({ description: 'One chain as verified.' })
export class IntegrityChainSummary {
  @Field() chain!: string;
  @Field(() => Int) verified!: number;
  @Field(() => Int, { description: 'Events after the newest checkpoint: linked, not yet signed.' })
  pending!: number;
  @Field(() => Int, {
    description: 'Positions not found that retention removed (at or below a signed retention statement).',
  })
  removed!: number;
  @Field({
    description:
      "Its newest checkpoint closed it: an API process's access chain, at its stop or after it died.",
  })
  closed!: boolean;
  @Field(() => Int) checkpoints!: number;
  @Field(() => Int, { nullable: true }) lastSeq!: number | null;
  @Field(() => String, { nullable: true }) lastCheckpointAt!: string | null;
}

@ObjectType({
  description: 'A verification of the stored trail against its hash chains and signed checkpoints.',
})
export class IntegrityReportModel {
  @Field(() => String, { nullable: true }) from!: string | null;
  @Field(() => String, { nullable: true }) to!: string | null;
  @Field() verifiedAt!: string;
  @Field({ description: 'No finding at all.' }) ok!: boolean;
  @Field(() => Int) eventsVerified!: number;
  @Field(() => [IntegrityChainSummary]) chains!: IntegrityChainSummary[];
  @Field(() => [IntegrityFindingModel]) findings!: IntegrityFindingModel[];
  @Field({ description: 'More findings exist than are listed.' }) truncated!: boolean;
  @Field(() => [String], {
    description: 'Where checkpoints were read: the checkpoint index, the checkpoint log.',
  })
  checkpointSources!: string[];
}
