export {
  API_ROLES,
  parseApiTokens,
  toApiToken,
  type ApiRole,
  type ApiToken,
  type ApiTokenEntry,
} from './api-tokens';
export {
  ApiErrorCode,
  apiError,
  codeOfHttpStatus,
  httpStatusOf,
  isApiErrorCode,
  refusalBody,
} from './api-error';
export { graphqlOperationHook } from './graphql-operation.hook';
export {
  graphqlParamsOf,
  onlyOperation,
  operationLabel,
  selectOperation,
  type GraphQLParams,
} from './graphql-request';
export { DEFAULT_SEARCH_COST, queryCost } from './query-cost';
export { RateLimiter } from './rate-limiter';
export { callerOf, countResults, type PolicedRequest, type RequestState } from './request-state';
export {
  CONSOLE_POLICY,
  GRAPHQL_POLICY,
  isRoutePolicy,
  LIVENESS_POLICY,
  FEED_EXPORT_POLICY,
  policyConfig,
  READINESS_POLICY,
  UNMATCHED_POLICY,
  type RoutePolicy,
} from './route-policy';
export {
  collectRoutes,
  installRoutePolicy,
  type AccessRecorder,
  type RoutePolicyDependencies,
} from './route-policy.hooks';
export { TokenAuthenticator, type Principal } from './token-authenticator';
export {
  assertMayAggregate,
  assertMayFilter,
  assertMayRead,
  mayUse,
  readableBy,
  unreadablePaths,
  RESTRICTED_FIELDS,
  type RestrictedField,
} from './field-access';
