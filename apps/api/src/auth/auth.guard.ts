import {
  Injectable,
  UnauthorizedException,
  ForbiddenException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { ApiRole } from '@cairn/config';
import { HealthController } from '@cairn/health';
import { forbidden, unauthenticated } from './auth-errors';
import { ROLES_KEY } from './roles.decorator';
import { TokenAuthenticator, type Principal } from './token-authenticator';

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Global: every resolver and route needs a valid token and one of the roles it declares. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: TokenAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Liveness and readiness answer without a token: they reveal nothing of the audit trail.
    if (context.getClass() === HealthController) return true;
    const targets = [context.getHandler(), context.getClass()];
    const graphql = context.getType<GqlContextType>() === 'graphql';
    const request: AuthenticatedRequest = graphql
      ? GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req
      : context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    // The rate-limit hook has already checked the token of a /graphql request; once is enough.
    const principal =
      request.principal ?? this.authenticator.authenticate(Array.isArray(header) ? header[0] : header);
    if (!principal) throw graphql ? unauthenticated() : new UnauthorizedException();
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<ApiRole[]>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(principal.role)) throw graphql ? forbidden('this') : new ForbiddenException();
    return true;
  }
}
