import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SourceKind {
  RUNTIME = 'RUNTIME',
  ORCHESTRATOR = 'ORCHESTRATOR',
  REGISTRY = 'REGISTRY',
}
export enum Outcome {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
  UNKNOWN = 'UNKNOWN',
}
export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SourceKind, { name: 'SourceKind' });
registerEnumType(Outcome, { name: 'Outcome' });
registerEnumType(SortOrder, { name: 'SortOrder' });

@ObjectType({ description: 'Who acted.' })
export class Actor {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) id?: string;
  @Field(() => [String]) groups!: string[];
  @Field({ nullable: true, description: 'The identity the actor impersonated.' }) impersonatedBy?: string;
  @Field(() => [String]) sourceIps!: string[];
  @Field({ nullable: true }) userAgent?: string;
}

@ObjectType({ description: 'Kubernetes API request details.' })
export class KubernetesDetails {
  @Field({ nullable: true }) verb?: string;
  @Field({ nullable: true }) resource?: string;
  @Field({ nullable: true }) subresource?: string;
  @Field({ nullable: true }) apiGroup?: string;
  @Field({ nullable: true }) namespace?: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) auditId?: string;
  @Field({ nullable: true }) stage?: string;
  @Field(() => Int, { nullable: true }) responseCode?: number;
  @Field({ nullable: true }) decision?: string;
  @Field({ nullable: true }) reason?: string;
}

@ObjectType({ description: 'One normalized audit event, whatever produced it.' })
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLISODateTime) timestamp!: Date;
  @Field(() => GraphQLISODateTime) ingestedAt!: Date;
  @Field(() => SourceKind) sourceKind!: SourceKind;
  @Field() product!: string;
  @Field() action!: string;
  @Field(() => [String]) category!: string[];
  @Field(() => [String]) type!: string[];
  @Field(() => Outcome) outcome!: Outcome;
  @Field({ nullable: true }) message?: string;
  @Field({ nullable: true }) reason?: string;
  @Field(() => Actor) actor!: Actor;
  @Field(() => KubernetesDetails, { nullable: true }) kubernetes?: KubernetesDetails;
  @Field({ nullable: true, description: 'The raw source event (admin and investigator roles only).' })
  original?: string;
}
