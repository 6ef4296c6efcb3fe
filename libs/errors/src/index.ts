export { ERROR_CODES, WasmbedError, isWasmbedError } from './wasmbed-error';
export type { ErrorCode } from './wasmbed-error';
export { ValidationError, ConfigError } from './common-errors';
