import {
  BadRequestException,
  ForbiddenException,
  UnauthorizedException,
  ValidationPipe,
} from '@nestjs/common';
import { errors as elasticsearchErrors } from '@elastic/elasticsearch';
import { IsInt, Max, MaxLength, validateSync } from 'class-validator';
import { buildSchema, GraphQLError, locatedError, parse, validate } from 'graphql';
import { flattenErrors, formatGraphQLError } from './format-error';

// Mercurius' own error classes, as its routes and query-depth check throw them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mercuriusErrors = require('mercurius/lib/errors') as Record<string, new (...args: unknown[]) => Error>;

const wrap = (original: unknown) =>
  new GraphQLError(original instanceof Error ? original.message : String(original), {
    originalError: original instanceof Error ? original : undefined,
  });
const format = (error: GraphQLError) => formatGraphQLError(error, () => undefined);
const schema = buildSchema('type Query { events(first: Int): [String] }');

class PageArgs {
  @IsInt()
  @Max(500)
  first: number = 50;

  @MaxLength(1024)
  after = 'x'.repeat(1025);
}

async function pipeError(): Promise<unknown> {
  const pipe = new ValidationPipe({ transform: true, forbidUnknownValues: true });
  try {
    await pipe.transform({ first: 501, after: 'x'.repeat(1025) }, { type: 'body', metatype: PageArgs });
  } catch (error) {
    return error;
  }
  throw new Error('the pipe accepted bad arguments');
}

describe('formatGraphQLError, fed every kind of error the stack produces', () => {
  it('Nest ValidationPipe: BAD_USER_INPUT, the messages naming each argument', async () => {
    const formatted = format(wrap(await pipeError()));
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(formatted.message).toMatch(/first must not be greater than 500/);
    expect(formatted.message).toMatch(/after must be shorter than or equal to 1024 characters/);
  });

  it('Nest HTTP exceptions other than 400 keep their meaning', () => {
    expect(format(wrap(new UnauthorizedException())).extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(format(wrap(new ForbiddenException())).extensions).toEqual({ code: 'FORBIDDEN' });
    expect(format(wrap(new BadRequestException('plain'))).extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('class-validator errors thrown by code as they are (a bug, not an argument): internal, logged', () => {
    const [error] = validateSync(Object.assign(new PageArgs(), { first: 900 }));
    const logged: unknown[] = [];
    const formatted = formatGraphQLError(locatedError(error, undefined), (e) => logged.push(e));
    expect(formatted).toMatchObject({
      message: 'internal error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged).toHaveLength(1);
  });

  it('graphql-js syntax and validation errors', () => {
    let syntax: unknown;
    try {
      parse('{ events(first: }');
    } catch (error) {
      syntax = error;
    }
    expect(format(syntax as GraphQLError).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    const [unknownField] = validate(schema, parse('{ nope }'));
    expect(format(unknownField)).toMatchObject({
      message: 'Cannot query field "nope" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('Mercurius validation (several errors in one), depth limit, JSON variables, persisted queries, GET mutations', () => {
    const validation = new mercuriusErrors.MER_ERR_GQL_VALIDATION();
    (validation as unknown as { errors: unknown[] }).errors = [
      ...validate(schema, parse('{ nope other }')),
      new mercuriusErrors.MER_ERR_GQL_QUERY_DEPTH('Deep', 13, 12),
    ];
    const flattened = flattenErrors([wrap(validation)]).map(format);
    expect(flattened.map((error) => error.extensions?.code)).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(flattened[2].message).toMatch(/query depth \(13\) exceeds the query depth limit of 12/);
    const variables = Object.assign(new SyntaxError('Unexpected token'), {
      code: 'MER_ERR_GQL_VALIDATION',
      statusCode: 400,
    });
    expect(format(wrap(variables)).extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(
      format(wrap(new mercuriusErrors.MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND('Unknown query'))).extensions,
    ).toEqual({
      code: 'BAD_REQUEST',
    });
    expect(format(wrap(new mercuriusErrors.MER_ERR_METHOD_NOT_ALLOWED())).extensions?.code).toBe(
      'METHOD_NOT_ALLOWED',
    );
  });

  it('Elasticsearch client failures, resolver bugs and things that are not errors at all', () => {
    expect(format(wrap(new elasticsearchErrors.TimeoutError('timed out'))).extensions).toEqual({
      code: 'QUERY_TIMEOUT',
    });
    expect(format(wrap(new TypeError("Cannot read properties of undefined (reading 'code')")))).toEqual({
      message: 'internal error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      locations: undefined,
      path: undefined,
    });
    expect(format(locatedError('a thrown string', undefined)).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const noExtensions = Object.assign(Object.create(GraphQLError.prototype) as GraphQLError, {
      message: 'made without a constructor',
      originalError: new Error('x'),
    });
    expect(format(noExtensions).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(flattenErrors(undefined)).toEqual([]);
  });
});
