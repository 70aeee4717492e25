import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { ApiErrorCode, CONSOLE_POLICY, httpStatusOf, policyConfig, refusalBody } from '@cairn/api-policy';
import type { ConsoleFiles } from './console-files';

export const CONSOLE_FILES = Symbol('CONSOLE_FILES');

/**
 * /console: the investigator's console, a single page whose own routes live after the `#`, so
 * the server knows only these two routes and the fixed set of files the build produced.
 */
@Controller('console')
export class ConsoleController {
  constructor(@Inject(CONSOLE_FILES) private readonly files: ConsoleFiles) {}

  @Get()
  @RouteConfig(policyConfig(CONSOLE_POLICY))
  index(@Res() reply: FastifyReply): FastifyReply {
    return this.send(reply, 'index.html');
  }

  @Get(':file')
  @RouteConfig(policyConfig(CONSOLE_POLICY))
  asset(@Param('file') file: string, @Res() reply: FastifyReply): FastifyReply {
    return this.send(reply, file);
  }

  private send(reply: FastifyReply, name: string): FastifyReply {
    const file = this.files.file(name);
    if (file) return reply.type(file.contentType).send(file.body);
    const message = this.files.built
      ? 'the console has no such file'
      : 'the console was not built with this API (npm run build writes dist/console)';
    return reply
      .code(httpStatusOf(ApiErrorCode.NotFound))
      .type('application/json; charset=utf-8')
      .send(refusalBody(ApiErrorCode.NotFound, message));
  }
}
