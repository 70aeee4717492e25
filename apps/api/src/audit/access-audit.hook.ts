import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { accessRecord, AccessAuditWriter } from '@cairn/access-audit';
import type { Logger } from '@cairn/logging';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { TokenAuthenticator } from '../auth/token-authenticator';
import { isGraphQLRequest } from '../graphql/graphql-route';
import { LOGGER } from '../injection-tokens';

/** What a request accumulates for its access record; resolvers add what they hand back. */
export interface AccessInProgress {
  readonly requestId: string;
  readonly at: Date;
  resultCount: number;
}

type AuditedRequest = FastifyRequest & AuthenticatedRequest & { cairnAccess?: AccessInProgress };

/** Resolvers call this with the number of events they return. */
export function countResults(request: unknown, count: number): void {
  const access = (request as AuditedRequest | undefined)?.cairnAccess;
  if (access) access.resultCount += count;
}

const UNAVAILABLE = JSON.stringify({
  data: null,
  errors: [
    {
      message: 'this access could not be recorded, so it is refused; try again shortly',
      extensions: { code: 'AUDIT_UNAVAILABLE' },
    },
  ],
});

/**
 * Every request to /graphql, answered or refused, is recorded before its answer leaves: the
 * record is written in Fastify's onSend hook, after the response is built and before a byte is
 * sent. A client cannot skip it, and when the record cannot be stored the answer is withheld
 * (503 AUDIT_UNAVAILABLE): an unrecorded read of the audit trail would be the gap this closes.
 */
@Injectable()
export class AccessAuditHook implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly authenticator: TokenAuthenticator,
    private readonly writer: AccessAuditWriter,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request: AuditedRequest, _reply, done) => {
      if (isGraphQLRequest(request))
        request.cairnAccess = { requestId: randomUUID(), at: new Date(), resultCount: 0 };
      done();
    });
    fastify.addHook('onSend', async (request: AuditedRequest, reply: FastifyReply, payload: unknown) => {
      const access = request.cairnAccess;
      if (!access) return payload;
      try {
        await this.writer.record(this.recordOf(request, access, payload));
        return payload;
      } catch (error) {
        this.log.error(
          { err: error, requestId: access.requestId },
          'access record not stored; answer withheld',
        );
        void reply.code(503).header('content-type', 'application/json; charset=utf-8');
        return UNAVAILABLE;
      }
    });
  }

  private recordOf(request: AuditedRequest, access: AccessInProgress, payload: unknown) {
    const header = request.headers.authorization as unknown;
    const presented = typeof header === 'string' ? header : undefined;
    const principal = request.principal ?? this.authenticator.authenticate(presented);
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as {
      query?: unknown;
      operationName?: unknown;
      variables?: unknown;
    };
    const query = typeof body.query === 'string' ? body.query : undefined;
    return accessRecord({
      ...access,
      principal,
      clientAddress: request.ip,
      userAgent:
        typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
      operation: operationOf(query, body.operationName),
      query,
      variables: body.variables ?? undefined,
      errorCode: firstErrorCode(payload),
    });
  }
}

/** The operation's name, or its root fields when it has none (`{ events events }` -> "events"). */
function operationOf(query: string | undefined, operationName: unknown): string | undefined {
  if (typeof operationName === 'string' && operationName.length > 0) return operationName.slice(0, 256);
  if (!query) return undefined;
  try {
    const operation = parse(query).definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) return undefined;
    if (operation.name) return operation.name.value;
    const fields = operation.selectionSet.selections.flatMap((s) =>
      s.kind === Kind.FIELD ? [s.name.value] : [],
    );
    return [...new Set(fields)].join(',').slice(0, 256) || undefined;
  } catch {
    return '(unparsable query)';
  }
}

function firstErrorCode(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.includes('"errors"')) return undefined;
  try {
    const parsed = JSON.parse(payload) as { errors?: { extensions?: { code?: unknown } }[] };
    const code = parsed.errors?.[0]?.extensions?.code;
    return parsed.errors && parsed.errors.length > 0
      ? typeof code === 'string'
        ? code
        : 'ERROR'
      : undefined;
  } catch {
    return undefined;
  }
}
