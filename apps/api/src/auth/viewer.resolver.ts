import { Context, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import {
  API_ROLES,
  apiError,
  ApiErrorCode,
  mayUse,
  RESTRICTED_FIELDS,
  type PolicedRequest,
} from '@cairn/api-policy';
import { Roles } from './roles.decorator';

@ObjectType({ description: 'Who is asking, and which restricted parts of the trail their role may use.' })
export class Viewer {
  @Field({ description: 'The token name the request authenticated as.' })
  name!: string;

  @Field({ description: `One of ${API_ROLES.join(', ')}.` })
  role!: string;

  @Field(() => [String], {
    description: 'Restricted fields (Type.field) this role may read, e.g. AuditEvent.original.',
  })
  mayRead!: string[];

  @Field(() => [String], { description: 'Restricted EventFilter inputs this role may filter by.' })
  mayFilter!: string[];
}

/**
 * Lets a client (the console) ask only for what its caller may see, decided by the same table the
 * resolvers enforce, instead of learning it from FORBIDDEN errors or keeping a copy of the rules.
 */
@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer)
  @Roles(...API_ROLES)
  viewer(@Context('req') request: PolicedRequest): Viewer {
    const principal = request.principal;
    if (!principal) throw apiError(ApiErrorCode.Unauthenticated, 'a valid bearer token is required');
    const usable = (kind: 'reads' | 'filters') =>
      RESTRICTED_FIELDS.flatMap((restricted) => restricted[kind]).filter((name) =>
        mayUse(principal.role, kind, name),
      );
    return {
      name: principal.name,
      role: principal.role,
      mayRead: usable('reads'),
      mayFilter: usable('filters'),
    };
  }
}
