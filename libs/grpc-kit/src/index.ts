export { createGrpcServer } from './server';
export type { GrpcServer, GrpcServerOptions, ServiceRegistration } from './server';
export { unaryHandler } from './unary-handler';
export type { UnaryHandlerSpec } from './unary-handler';
export { serverStreamHandler } from './server-stream-handler';
export type { Send, ServerStreamHandlerSpec } from './server-stream-handler';
export type { HandlerContext, HandlerSpec } from './call-pipeline';
export { AUTHORIZATION_METADATA_KEY, readBearerToken } from './authenticator';
export type { Authenticator } from './authenticator';
export { hashToken, staticTokenAuthenticator } from './static-token-authenticator';
export type { StaticToken } from './static-token-authenticator';
export { ROLES, isRole, roleSatisfies } from './roles';
export type { Principal, Role } from './roles';
export { PermissionDeniedError, UnauthenticatedError } from './auth-errors';
export {
  ERROR_DETAILS_METADATA_KEY,
  ERROR_NAME_METADATA_KEY,
  GRPC_STATUS_BY_ERROR_CODE,
  readErrorMetadata,
  wasmbedErrorToStatus,
} from './status-mapping';
export { formatIssuePath, validateRequest } from './request-validation';
export { HEALTH_SERVICE_NAME } from './health';
export { consoleLogger, describeError } from './logger';
export type { LogFields, Logger } from './logger';
export { bearerCallCredentials, createClient, isLoopbackAddress, isLoopbackHost } from './client';
export type { ClientConstructor, CreateClientOptions, TlsOptions } from './client';
export { checkTlsKeyPair, parsePemCertificates, parsePemPrivateKey, serverTlsCredentials } from './tls-material';
export type { ServerTlsOptions, TlsKeyPair } from './tls-material';
