import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IntakeError, IntakeErrorCode, intakeRefusalBody } from '@cairn/intake';
import type { Logger } from '@cairn/logging';

/**
 * Whatever Nest answers outside the intake's own refusals (an unknown path, a bug) gets the same
 * error shape with a stable code; a bug's details stay in the log.
 */
@Catch()
export class IntakeExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly log: Logger,
    private readonly maxBodyBytes: number,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status === 404) {
      const path = request.url.split('?')[0];
      const error = new IntakeError(IntakeErrorCode.NotFound, `no intake endpoint ${request.method} ${path}`);
      void reply.code(404).send(intakeRefusalBody(error));
      return;
    }
    if (status === 413) {
      const error = new IntakeError(
        IntakeErrorCode.PayloadTooLarge,
        `the body is larger than ${this.maxBodyBytes} bytes (CAIRN_INTAKE_MAX_BODY_BYTES): send smaller batches`,
      );
      void reply.code(413).send(intakeRefusalBody(error));
      return;
    }
    if (status < 500 && exception instanceof HttpException) {
      void reply
        .code(status)
        .send({ error: { code: IntakeErrorCode.MalformedBody, message: exception.message } });
      return;
    }
    this.log.error({ err: exception }, 'intake request failed');
    void reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error; see the intake log' } });
  }
}
