import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { assertMayRead, type PolicedRequest } from '@cairn/api-policy';
import { Actor } from './audit-event.model';

/** Client addresses are personal data: auditors count and review events without them. */
@Resolver(() => Actor)
export class ActorResolver {
  @ResolveField(() => [String], { nullable: true })
  sourceIps(@Parent() actor: Actor, @Context('req') request: PolicedRequest): string[] {
    assertMayRead(request.principal?.role, 'Actor.sourceIps');
    return actor.sourceIps;
  }
}
