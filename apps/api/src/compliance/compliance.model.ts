import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsString, Matches, MaxLength } from 'class-validator';
import { DateTimeScalar } from '../graphql/date-time.scalar';

export enum Framework {
  PCI_DSS = 'PCI_DSS',
  HIPAA = 'HIPAA',
  GDPR = 'GDPR',
}
registerEnumType(Framework, { name: 'Framework' });

export enum ControlStatus {
  EVIDENCED = 'EVIDENCED',
  NO_EVIDENCE = 'NO_EVIDENCE',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}
registerEnumType(ControlStatus, {
  name: 'ControlStatus',
  description: 'NOT_APPLICABLE: a data-access control whose framework has no scope configured.',
});

/** A control id as the framework numbers it: "10.2.1.4", "164.312(b)", "Art. 5(1)(f)". */
export const CONTROL_ID = /^[A-Za-z0-9.() ]{1,40}$/;

@InputType({ description: 'A compliance control, by framework and id.' })
export class ControlRef {
  @Field(() => Framework)
  @IsEnum(Framework)
  framework!: Framework;

  @Field({ description: 'As the framework numbers it, e.g. "10.2.1.4" or "164.312(b)".' })
  @IsString()
  @MaxLength(40)
  @Matches(CONTROL_ID, { message: 'id: not a control id' })
  id!: string;
}

@ObjectType({ description: 'A control an event evidences.' })
export class ComplianceTag {
  @Field(() => Framework) framework!: Framework;
  @Field() control!: string;
}

@ObjectType()
export class ComplianceRule {
  @Field() id!: string;
  @Field() description!: string;
}

@ObjectType({ description: 'A control of the catalog and what Cairn selects as its evidence.' })
export class ComplianceControl {
  @Field(() => Framework) framework!: Framework;
  @Field() id!: string;
  @Field() title!: string;
  @Field() summary!: string;
  @Field() citation!: string;
  @Field({ description: 'scoped: only events in the framework scope; cluster: every event.' })
  applies!: string;
  @Field(() => [String]) requiredFields!: string[];
  @Field(() => [ComplianceRule]) rules!: ComplianceRule[];
}

@ObjectType()
export class ComplianceFramework {
  @Field(() => Framework) id!: Framework;
  @Field() name!: string;
  @Field() version!: string;
  @Field() citation!: string;
  @Field({ description: 'Whether a scope (namespaces or images) is configured for it.' })
  scopeConfigured!: boolean;
  @Field(() => [ComplianceControl]) controls!: ComplianceControl[];
}

@ObjectType()
export class ControlReport {
  @Field() id!: string;
  @Field() title!: string;
  @Field(() => ControlStatus) status!: ControlStatus;
  @Field(() => Int) evidenceCount!: number;
  @Field(() => DateTimeScalar, { nullable: true }) firstSeen?: Date;
  @Field(() => DateTimeScalar, { nullable: true }) lastSeen?: Date;
  @Field(() => [String], { description: 'Up to 5 evidencing event ids, newest first.' })
  sampleEventIds!: string[];
  @Field(() => [String], { description: 'Problems found for this control (silence, retention).' })
  findings!: string[];
}

@ObjectType()
export class FieldShare {
  @Field() field!: string;
  @Field(() => Float, { description: '0 to 1.' }) share!: number;
}

@ObjectType({ description: "PCI DSS 10.2.2: one source's events and how many carry each required detail." })
export class SourceCompleteness {
  @Field() product!: string;
  @Field(() => Int) events!: number;
  @Field(() => [FieldShare]) fields!: FieldShare[];
}

@ObjectType({ description: 'One retention run (cairn retention, or ingest on its schedule), as recorded.' })
export class RetentionRunReport {
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => Int) days!: number;
  @Field(() => [String], { description: 'Monthly indices deleted as past the retention.' })
  deletedIndices!: string[];
  @Field(() => [String], { description: 'Past the retention but kept: they hold events on legal hold.' })
  heldIndices!: string[];
}

@ObjectType({ description: 'PCI DSS 10.5.1: the oldest stored event against the configured retention.' })
export class RetentionFinding {
  @Field(() => DateTimeScalar, { nullable: true }) oldestEvent?: Date;
  @Field(() => RetentionRunReport, { nullable: true, description: 'The last retention run, if any.' })
  lastRun?: RetentionRunReport;
  @Field(() => Int) requiredDays!: number;
  @Field(() => Int) immediateDays!: number;
  @Field(() => Int) coveredDays!: number;
  @Field() met!: boolean;
}

@ObjectType({ description: 'A source that sent nothing for longer than the threshold.' })
export class SilenceGap {
  @Field() product!: string;
  @Field({ nullable: true }) cluster?: string;
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field(() => Int) minutes!: number;
}

@ObjectType()
export class ComplianceReport {
  @Field(() => Framework) framework!: Framework;
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field({ description: 'Catalog version and scope fingerprint the report was computed under.' })
  catalogVersion!: string;
  @Field(() => [ControlReport]) controls!: ControlReport[];
  @Field(() => [SourceCompleteness], { description: 'PCI DSS only (10.2.2); empty otherwise.' })
  fieldCompleteness!: SourceCompleteness[];
  @Field(() => RetentionFinding, { nullable: true, description: 'PCI DSS only (10.5.1).' })
  retention?: RetentionFinding;
  @Field(() => [SilenceGap], { description: 'Sources silent longer than the configured threshold.' })
  silenceGaps!: SilenceGap[];
  @Field(() => Int, { description: 'Silence gaps are exact to this many minutes.' })
  silenceResolutionMinutes!: number;
}
