import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiErrorCode,
  FEED_EXPORT_POLICY,
  httpStatusOf,
  policyConfig,
  readableBy,
  refusalBody,
  unreadablePaths,
  type PolicedRequest,
} from '@cairn/api-policy';
import { searchFailureOf } from '@cairn/elasticsearch-store';
import { encodeExportPage, FeedExport, InvalidFeedCursorError } from '@cairn/feed';
import type { Logger } from '@cairn/logging';
import { FORMATS } from '@cairn/siem-formats';
import { LOGGER, FEED_HEC_INDEX } from '../injection-tokens';
import { parseExportQuery } from './feed-export.query';

export const NEXT_CURSOR_HEADER = 'cairn-next-cursor';

/**
 * GET /feed/v1/events: one page of stored events in the format asked for, one per line, with the
 * cursor to pass as `after` next in the Cairn-Next-Cursor header (the same cursor back: caught up).
 */
@Controller('feed/v1')
export class FeedController {
  constructor(
    private readonly exporter: FeedExport,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(FEED_HEC_INDEX) private readonly hecIndex: string | undefined,
  ) {}

  @Get('events')
  @RouteConfig(policyConfig(FEED_EXPORT_POLICY))
  async events(@Req() request: FastifyRequest & PolicedRequest, @Res() reply: FastifyReply): Promise<void> {
    const parsed = parseExportQuery(request.query);
    if ('problems' in parsed) return refuse(reply, ApiErrorCode.BadUserInput, parsed.problems.join('; '));
    const access = request.cairnAccess;
    if (access) access.operation = `export ${parsed.format}`;
    let page;
    try {
      page = await this.exporter.page(parsed.after, parsed.limit, parsed.filter);
    } catch (error) {
      if (error instanceof InvalidFeedCursorError)
        return refuse(reply, ApiErrorCode.BadUserInput, `after: ${error.message}`);
      const failure = searchFailureOf(error);
      this.log.error({ err: error }, 'feed export failed');
      if (failure === 'timeout')
        return refuse(
          reply,
          ApiErrorCode.QueryTimeout,
          'the export took longer than the API allows; try again',
        );
      return refuse(
        reply,
        ApiErrorCode.SearchUnavailable,
        'the event store, or how far ingest has stored, could not be read; try again shortly',
      );
    }
    const role = request.principal?.role;
    const body = encodeExportPage(page.hits, parsed.format, {
      unreadable: unreadablePaths(role),
      readable: (document) => readableBy(role, document),
      encode: { hec: { index: this.hecIndex } },
    });
    if (access) access.resultCount += page.hits.length;
    void reply
      .code(200)
      .header(NEXT_CURSOR_HEADER, page.next)
      .type(FORMATS[parsed.format].contentType)
      .send(body);
  }
}

function refuse(reply: FastifyReply, code: ApiErrorCode, message: string): void {
  void reply
    .code(httpStatusOf(code))
    .type('application/json; charset=utf-8')
    .send(refusalBody(code, message));
}
