import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import { ApiErrorCode, apiError, type ApiRole, type PolicedRequest } from '@cairn/api-policy';
import { ROLES_KEY } from './roles.decorator';

/**
 * Global, for GraphQL resolvers: the route policy has already authenticated the caller and
 * admitted its role to the route; each resolver narrows that to the roles it declares. A resolver
 * without @Roles admits nobody. HTTP routes are governed by their route policy alone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const request = GqlExecutionContext.create(context).getContext<{ req: PolicedRequest }>().req;
    const principal = request.principal;
    if (!principal) throw apiError(ApiErrorCode.Unauthenticated, 'a valid bearer token is required');
    const roles =
      this.reflector.getAllAndOverride<ApiRole[]>(ROLES_KEY, [context.getHandler(), context.getClass()]) ??
      [];
    if (!roles.includes(principal.role)) {
      throw apiError(ApiErrorCode.Forbidden, `your role may not read ${context.getHandler().name}`);
    }
    return true;
  }
}
