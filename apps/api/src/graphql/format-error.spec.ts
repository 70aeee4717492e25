import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { errors } from '@elastic/elasticsearch';
import { GraphQLError } from 'graphql';
import { formatGraphQLError } from './format-error';

const failing = (original: Error) => new GraphQLError(original.message, { originalError: original });
const responseError = (statusCode: number) =>
  new errors.ResponseError({
    body: { error: { type: 'es_rejected_execution_exception' } },
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });

describe('formatGraphQLError', () => {
  it.each([
    ['a client-side Elasticsearch timeout', new errors.TimeoutError('Request timed out'), 'QUERY_TIMEOUT'],
    ['a refused connection', new errors.ConnectionError('connect ECONNREFUSED'), 'SEARCH_UNAVAILABLE'],
    ['a full search queue (429)', responseError(429), 'SEARCH_UNAVAILABLE'],
    ['no shard available (503)', responseError(503), 'SEARCH_UNAVAILABLE'],
  ])('gives %s its own code, a plain message, and logs it', (_label, original, code) => {
    const logged: GraphQLError[] = [];
    const formatted = formatGraphQLError(failing(original), (error) => logged.push(error));
    expect(formatted.extensions).toEqual({ code });
    expect(formatted.message).not.toMatch(/ECONNREFUSED|timed out|es_rejected/);
    expect(logged).toHaveLength(1);
  });

  it("gives the depth limit's refusal as a validation failure, in a plain sentence", () => {
    const depth = Object.assign(
      new Error('`unnamedQuery query depth (13) exceeds the query depth limit of 12`'),
      {
        code: 'MER_ERR_GQL_QUERY_DEPTH',
      },
    );
    const logged: GraphQLError[] = [];
    expect(formatGraphQLError(failing(depth), (error) => logged.push(error))).toEqual({
      message: 'unnamedQuery query depth (13) exceeds the query depth limit of 12',
      locations: undefined,
      path: undefined,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(logged).toHaveLength(0);
  });

  it('hides an unexpected failure behind "internal error" and a stable code', () => {
    const logged: GraphQLError[] = [];
    const formatted = formatGraphQLError(failing(responseError(500)), (error) => logged.push(error));
    expect(formatted).toMatchObject({
      message: 'internal error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(formatted)).not.toMatch(/stack|es_rejected/);
    expect(logged).toHaveLength(1);
  });

  it('keeps codes set on purpose and maps HTTP exceptions', () => {
    const refused = formatGraphQLError(
      failing(new ForbiddenException('role auditor may not read original')),
      () => {
        throw new Error('not logged');
      },
    );
    expect(refused.extensions).toEqual({ code: 'FORBIDDEN' });
    const coded = new GraphQLError('too big', { extensions: { code: 'QUERY_TOO_COMPLEX', cost: 9 } });
    expect(formatGraphQLError(coded, () => undefined)).toMatchObject({
      message: 'too big',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });
});

describe('formatGraphQLError never throws and always answers a code', () => {
  const fastifyError = (code: string, statusCode: number) =>
    Object.assign(new Error('framework says no'), { code, statusCode });

  it.each([
    ['malformed JSON', fastifyError('FST_ERR_CTP_INVALID_JSON', 400), 'BAD_REQUEST'],
    [
      'an unknown content type',
      fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415),
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['a body over the limit', fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), 'PAYLOAD_TOO_LARGE'],
    ['a mutation over GET', fastifyError('MER_ERR_METHOD_NOT_ALLOWED', 405), 'METHOD_NOT_ALLOWED'],
  ])('maps %s to its code', (_label, original, code) => {
    expect(formatGraphQLError(failing(original), () => undefined).extensions).toEqual({ code });
  });

  it('maps a ValidationPipe refusal to BAD_USER_INPUT with the messages naming the arguments', () => {
    const pipe = new BadRequestException({ message: ['first must not be greater than 500'] });
    expect(formatGraphQLError(failing(pipe), () => undefined)).toMatchObject({
      message: 'first must not be greater than 500',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('survives errors without extensions or with odd shapes', () => {
    const bare = Object.assign(Object.create(GraphQLError.prototype) as GraphQLError, { message: 'odd' });
    expect(formatGraphQLError(bare, () => undefined).extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    const unknownCode = new GraphQLError('x', { extensions: { code: 'SOMETHING_ELSE' } });
    expect(formatGraphQLError(unknownCode, () => undefined).extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
  });
});
