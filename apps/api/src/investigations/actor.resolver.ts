import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { forbidden } from '../auth/auth-errors';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Actor } from './audit-event.model';

/** Client addresses are personal data: auditors count and review events without them. */
@Resolver(() => Actor)
export class ActorResolver {
  @ResolveField(() => [String], { nullable: true })
  sourceIps(@Parent() actor: Actor, @Context('req') request: AuthenticatedRequest): string[] {
    const role = request.principal?.role;
    if (role !== 'admin' && role !== 'investigator') throw forbidden('actor.sourceIps');
    return actor.sourceIps;
  }
}
