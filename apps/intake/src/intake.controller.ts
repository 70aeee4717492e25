import { Controller, Get, Header, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TLSSocket } from 'node:tls';
import { LIVENESS_POLICY, policyConfig } from '@cairn/api-policy';
import {
  INTAKE_SOURCES,
  IntakeHandler,
  intakeRefusalBody,
  type IntakeSourceName,
  type PresentedCertificate,
} from '@cairn/intake';
import type { Logger } from '@cairn/logging';
import { IntakeMetrics } from './intake-metrics';

export const INTAKE_LOGGER = Symbol('INTAKE_LOGGER');

/** What each intake route declares: its source, read by the checks that run before the body. */
export interface IntakeRouteConfig {
  readonly intakeSource: IntakeSourceName;
}

const intakeRoute = (intakeSource: IntakeSourceName): IntakeRouteConfig => ({ intakeSource });

export function peerOf(request: {
  readonly raw: { readonly socket: unknown };
}): PresentedCertificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const certificate = socket.getPeerCertificate();
  if (!certificate || Object.keys(certificate).length === 0) return undefined;
  return { authorized: socket.authorized === true, subject: certificate.subject };
}

/**
 * One route per source: the route that matched names the source, and the handler decides who may
 * send it. Answers 202 only once Kafka holds the bytes on every in-sync replica.
 */
@Controller()
export class IntakeController {
  constructor(
    @Inject(IntakeHandler) private readonly handler: IntakeHandler,
    @Inject(IntakeMetrics) private readonly metrics: IntakeMetrics,
    @Inject(INTAKE_LOGGER) private readonly log: Logger,
  ) {}

  @Post('intake/v1/kubernetes-audit')
  @RouteConfig(intakeRoute('kubernetes-audit'))
  kubernetesAudit(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.accept('kubernetes-audit', request, reply);
  }

  @Post('intake/v1/distribution')
  @RouteConfig(intakeRoute('distribution'))
  distribution(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.accept('distribution', request, reply);
  }

  @Post('intake/v1/harbor')
  @RouteConfig(intakeRoute('harbor'))
  harbor(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.accept('harbor', request, reply);
  }

  @Post('intake/v1/falco')
  @RouteConfig(intakeRoute('falco'))
  falco(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.accept('falco', request, reply);
  }

  @Post('intake/v1/opa')
  @RouteConfig(intakeRoute('opa'))
  opa(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.accept('opa', request, reply);
  }

  @Post('intake/v1/eks-firehose')
  @RouteConfig(intakeRoute('eks-firehose'))
  eksFirehose(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.accept('eks-firehose', request, reply);
  }

  @Post('intake/v1/gke-pubsub')
  @RouteConfig(intakeRoute('gke-pubsub'))
  gkePubsub(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.accept('gke-pubsub', request, reply);
  }

  @Get('metrics')
  @RouteConfig(policyConfig(LIVENESS_POLICY))
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  private async accept(
    source: IntakeSourceName,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const outcome = await this.handler.accept(
      source,
      { headers: request.headers, body, query },
      peerOf(request),
    );
    // Firehose reads only its own answer shape: its request id and a time, and errorMessage on failure.
    const firehose =
      INTAKE_SOURCES[source].envelope === 'firehose'
        ? { requestId: request.headers['x-amz-firehose-request-id'] ?? null, timestamp: Date.now() }
        : undefined;
    if (!('error' in outcome)) {
      await reply.code(outcome.status).send(firehose ?? { accepted: true, bytes: outcome.bytes });
      return;
    }
    const { error } = outcome;
    this.log.warn(
      { source, sender: outcome.sender, status: outcome.status, code: error.code, peer: request.ip },
      `intake refused a request: ${error.message}`,
    );
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    const refusal = intakeRefusalBody(error);
    await reply
      .code(outcome.status)
      .send(firehose ? { ...firehose, errorMessage: error.message, ...refusal } : refusal);
  }
}
