import { UntrustedPublisher } from './errors';

/** The publishers whose manifests are admitted: the configured keys, or anyone when none are. */
export class PublisherTrust {
  readonly #keys: ReadonlySet<string>;

  constructor(keys: readonly string[] = []) {
    this.#keys = new Set(keys.map((key) => key.toLowerCase()));
  }

  /** `publisherKey`: lowercase hex, as the domain stores it. */
  assertTrusted(publisherKey: string): void {
    if (this.#keys.size > 0 && !this.#keys.has(publisherKey)) throw new UntrustedPublisher(publisherKey);
  }
}
