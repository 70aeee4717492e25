import { GraphQLError } from 'graphql';

export const unauthenticated = () =>
  new GraphQLError('a valid bearer token is required', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

export const forbidden = (what: string) =>
  new GraphQLError(`your role may not read ${what}`, { extensions: { code: 'FORBIDDEN' } });
