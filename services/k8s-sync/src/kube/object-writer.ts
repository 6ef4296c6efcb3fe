import type { CustomObjectsApi } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { GROUP, PLURALS, VERSION, type ResourceOf, type SyncKind } from '../resources';
import { httpStatusOf } from '../status';
import type { KubernetesClientModule } from './client-module';

/** Optimistic concurrency lost (409): someone wrote the object since we read it. */
export const isConflict = (err: unknown): boolean => httpStatusOf(err) === 409;
export const isNotFound = (err: unknown): boolean => httpStatusOf(err) === 404;
export const isAlreadyExists = isConflict;

/**
 * The writes the sync makes to its objects (never status: see status/). Each returns the
 * object as the apiserver stored it.
 */
export class ObjectWriter {
  constructor(
    private readonly k8s: KubernetesClientModule,
    private readonly customObjects: CustomObjectsApi,
    private readonly namespace: string,
  ) {}

  private target(kind: SyncKind) {
    return { group: GROUP, version: VERSION, namespace: this.namespace, plural: PLURALS[kind] };
  }

  async get<K extends SyncKind>(kind: K, name: string): Promise<ResourceOf<K> | undefined> {
    try {
      return (await this.customObjects.getNamespacedCustomObject({ ...this.target(kind), name })) as ResourceOf<K>;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async create<K extends SyncKind>(kind: K, object: ResourceOf<K>): Promise<ResourceOf<K>> {
    return (await this.customObjects.createNamespacedCustomObject({ ...this.target(kind), body: object })) as ResourceOf<K>;
  }

  /** PUT of the whole object, conditional on its metadata.resourceVersion (409 when it moved on). */
  async replace<K extends SyncKind>(kind: K, object: ResourceOf<K>): Promise<ResourceOf<K>> {
    return (await this.customObjects.replaceNamespacedCustomObject({ ...this.target(kind), name: object.metadata.name, body: object })) as ResourceOf<K>;
  }

  /** JSON merge patch; a metadata.resourceVersion in it makes it conditional. */
  async mergePatch<K extends SyncKind>(kind: K, name: string, patch: object): Promise<ResourceOf<K>> {
    const options = this.k8s.setHeaderOptions('Content-Type', this.k8s.PatchStrategy.MergePatch);
    return (await this.customObjects.patchNamespacedCustomObject({ ...this.target(kind), name, body: patch }, options)) as ResourceOf<K>;
  }

  async delete(kind: SyncKind, name: string): Promise<void> {
    try {
      await this.customObjects.deleteNamespacedCustomObject({ ...this.target(kind), name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
