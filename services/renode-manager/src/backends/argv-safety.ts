import { NAME_PATTERN } from '@wasmbed/domain';
import { ValidationError } from '@wasmbed/errors';

// QEMU splits option values at commas and Renode's monitor at spaces and quotes:
// only plain absolute paths reach either, so no value can add an option.
const SAFE_PATH = /^\/[A-Za-z0-9._+/-]+$/;

/** An absolute path of letters, digits and `._+-/`, without `..` segments. */
export function safePath(path: string, what: string): string {
  if (!SAFE_PATH.test(path) || path.split('/').includes('..')) {
    throw new ValidationError(`${what} '${path}' must be an absolute path of letters, digits, '.', '_', '+', '-' and '/' (it goes on an emulator command line)`);
  }
  return path;
}

export function safePort(port: number, what: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ValidationError(`${what} must be a TCP port (1-65535), got ${port}`);
  return port;
}

/** Device names are DNS labels (the domain's NAME_PATTERN): safe in file names, argv, scripts and NATS subjects. */
export function safeDeviceName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new ValidationError(`device name '${name}' must be a DNS label: lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit`, [
      'name: must match ' + NAME_PATTERN.source,
    ]);
  }
  return name;
}

export const hex = (value: number): string => `0x${value.toString(16)}`;
