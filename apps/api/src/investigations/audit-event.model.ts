import { ComplianceTag } from '../compliance/compliance.model';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';

export enum SourceKind {
  RUNTIME = 'RUNTIME',
  ORCHESTRATOR = 'ORCHESTRATOR',
  REGISTRY = 'REGISTRY',
  /** Policy engines' decisions (OPA). */
  POLICY = 'POLICY',
  /** Cairn's own records of access to the audit trail. */
  CAIRN = 'CAIRN',
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
  @Field(() => [String], {
    nullable: true,
    description: 'Client addresses; admin and investigator only (null with FORBIDDEN for others).',
  })
  sourceIps!: string[];
  @Field({ nullable: true }) userAgent?: string;
}

@ObjectType({ description: 'What a Kubernetes request asked for (pod specs and role bindings).' })
export class KubernetesRequest {
  @Field(() => [String]) images!: string[];
  @Field({ nullable: true }) privileged?: boolean;
  @Field({ nullable: true }) hostNetwork?: boolean;
  @Field({ nullable: true }) hostPid?: boolean;
  @Field({ nullable: true }) hostIpc?: boolean;
  @Field(() => [String]) hostPaths!: string[];
  @Field({ nullable: true, description: 'Kind/name of the role a binding grants.' }) roleRef?: string;
  @Field(() => [String], { description: "Kind:namespace/name of a binding's subjects." }) subjects!: string[];
  @Field(() => [String], {
    description: 'Rule lists of a Role that grant "*" (verbs, resources, apiGroups).',
  })
  wildcards!: string[];
}

@ObjectType({ description: 'Kubernetes API request details.' })
export class KubernetesDetails {
  @Field({ nullable: true }) verb?: string;
  @Field({ nullable: true }) resource?: string;
  @Field({ nullable: true }) subresource?: string;
  @Field({ nullable: true }) apiGroup?: string;
  @Field({ nullable: true }) namespace?: string;
  @Field({ nullable: true }) name?: string;
  @Field({
    nullable: true,
    description: 'The cluster, when its managed log export named it (EKS, AKS, GKE).',
  })
  cluster?: string;
  @Field({ nullable: true }) auditId?: string;
  @Field({ nullable: true }) stage?: string;
  @Field(() => Int, { nullable: true }) responseCode?: number;
  @Field({ nullable: true }) decision?: string;
  @Field({ nullable: true }) reason?: string;
  @Field(() => KubernetesRequest, { nullable: true }) request?: KubernetesRequest;
}

@ObjectType()
export class Container {
  @Field({ nullable: true, description: 'Full id when the source gave it; Falco gives 12 characters.' })
  id?: string;
  @Field({ nullable: true }) shortId?: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) runtime?: string;
  @Field(() => Int, { nullable: true }) exitCode?: number;
}

@ObjectType()
export class Pod {
  @Field({ nullable: true }) namespace?: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) uid?: string;
  @Field({ nullable: true }) container?: string;
}

@ObjectType()
export class Image {
  @Field({ nullable: true }) registry?: string;
  @Field({ nullable: true }) repository?: string;
  @Field({ nullable: true }) tag?: string;
  @Field({ nullable: true }) digest?: string;
}

@ObjectType()
export class Process {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) commandLine?: string;
  @Field(() => Int, { nullable: true }) pid?: number;
  @Field({ nullable: true }) executable?: string;
  @Field({ nullable: true }) user?: string;
  @Field({ nullable: true }) parentName?: string;
  @Field({ nullable: true }) execId?: string;
}

@ObjectType()
export class Rule {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true, description: "The source's own severity word (Falco priority)." })
  priority?: string;
  @Field({ nullable: true }) ruleset?: string;
  @Field(() => [String]) tags!: string[];
}

@ObjectType()
export class ScanSummary {
  @Field({ nullable: true }) status?: string;
  @Field({ nullable: true }) scanner?: string;
  @Field({ nullable: true }) severity?: string;
  @Field(() => Int, { nullable: true }) total?: number;
  @Field(() => Int, { nullable: true }) fixable?: number;
  @Field(() => Int, { nullable: true }) critical?: number;
  @Field(() => Int, { nullable: true }) high?: number;
  @Field(() => Int, { nullable: true }) medium?: number;
  @Field(() => Int, { nullable: true }) low?: number;
  @Field(() => Int, { nullable: true }) unknown?: number;
}

@ObjectType()
export class RegistryDetails {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) action?: string;
  @Field({ nullable: true }) repository?: string;
  @Field({ nullable: true }) tag?: string;
  @Field({ nullable: true }) digest?: string;
  @Field({ nullable: true }) mediaType?: string;
  @Field({ nullable: true, description: 'manifest or blob' }) artifactKind?: string;
  @Field(() => Float, { nullable: true }) size?: number;
  @Field({ nullable: true }) project?: string;
  @Field(() => ScanSummary, { nullable: true }) scan?: ScanSummary;
}

@ObjectType({ description: 'One normalized audit event, whatever produced it.' })
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeScalar) timestamp!: Date;
  @Field(() => DateTimeScalar) ingestedAt!: Date;
  @Field(() => SourceKind) sourceKind!: SourceKind;
  @Field() product!: string;
  @Field() action!: string;
  @Field(() => [String]) category!: string[];
  @Field(() => [String]) type!: string[];
  @Field(() => Outcome) outcome!: Outcome;
  @Field({ nullable: true }) message?: string;
  @Field({ nullable: true }) reason?: string;
  @Field(() => Actor) actor!: Actor;
  @Field(() => Int, { nullable: true, description: 'Syslog scale: 0 emergency … 7 debug.' })
  severity?: number;
  @Field(() => [String]) tags!: string[];
  @Field({ nullable: true }) host?: string;
  @Field(() => KubernetesDetails, { nullable: true }) kubernetes?: KubernetesDetails;
  @Field(() => Container, { nullable: true }) container?: Container;
  @Field(() => Pod, { nullable: true }) pod?: Pod;
  @Field(() => Image, { nullable: true }) image?: Image;
  @Field(() => Process, { nullable: true }) process?: Process;
  @Field(() => Rule, { nullable: true }) rule?: Rule;
  @Field(() => RegistryDetails, { nullable: true }) registry?: RegistryDetails;
  @Field(() => [ComplianceTag], { description: 'The compliance controls the event evidences.' })
  compliance!: ComplianceTag[];
  @Field({ nullable: true, description: 'The raw source event (admin and investigator roles only).' })
  original?: string;
}
