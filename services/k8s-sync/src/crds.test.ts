import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FINALIZER, GROUP, PLURALS, SYNC_KINDS, VERSION, type SyncKind } from './resources';

/** Static checks of infra/crds; the apiserver's own checks (structural schema, CEL cost) run in the integration tests. */

const CRD_DIR = join(__dirname, '..', '..', '..', 'infra', 'crds');
const SCHEMA_KEYWORDS = new Set(['type', 'description', 'properties', 'additionalProperties', 'items', 'required', 'pattern', 'format', 'enum', 'default', 'nullable', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']);

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  pattern?: string;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; singular: string; shortNames: string[]; categories: string[] };
    versions: { name: string; served: boolean; storage: boolean; subresources?: { status?: object }; additionalPrinterColumns: { name: string; jsonPath: string }[]; schema: { openAPIV3Schema: Schema } }[];
  };
}

const crds: Crd[] = readdirSync(CRD_DIR)
  .filter((f) => f.endsWith('.wasmbed.github.io.yaml'))
  .map((f) => parse(readFileSync(join(CRD_DIR, f), 'utf8')) as Crd);
const crdOf = (kind: SyncKind): Crd => crds.find((c) => c.spec.names.kind === kind)!;
const schemaOf = (kind: SyncKind): Schema => crdOf(kind).spec.versions[0]!.schema.openAPIV3Schema;

function walk(schema: Schema, path: string, visit: (s: Schema, path: string) => void): void {
  visit(schema, path);
  for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, `${path}.${name}`, visit);
  if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${path}.*`, visit);
  if (schema.items) walk(schema.items, `${path}[]`, visit);
}

/** The schema node at a printer column's path; metadata is the apiserver's own, any of its fields exists. */
function at(schema: Schema, jsonPath: string): Schema | undefined {
  const parts = jsonPath.replace(/\[\?.*$/, '').split('.').filter(Boolean);
  if (parts[0] === 'metadata') return {};
  let node: Schema | undefined = schema;
  for (const part of parts) node = node?.properties?.[part];
  return node;
}

describe('infra/crds', () => {
  it('defines Device, Application and Gateway in wasmbed.github.io/v1, namespaced, with short names', () => {
    expect(crds.map((c) => c.spec.names.kind).sort()).toEqual([...SYNC_KINDS].sort());
    const short: Record<SyncKind, string> = { Device: 'wdev', Application: 'wapp', Gateway: 'wgw' };
    for (const kind of SYNC_KINDS) {
      const crd = crdOf(kind);
      expect(crd).toMatchObject({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${PLURALS[kind]}.${GROUP}` } });
      expect(crd.spec).toMatchObject({ group: GROUP, scope: 'Namespaced', names: { plural: PLURALS[kind], shortNames: [short[kind]], categories: ['wasmbed'] } });
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage, v.subresources])).toEqual([[VERSION, true, true, { status: {} }]]);
    }
  });

  it('has structural schemas: every node typed (or explicitly open), only schema keywords, no $ref', () => {
    for (const kind of SYNC_KINDS) {
      walk(schemaOf(kind), kind, (s, path) => {
        expect({ path, typed: s.type !== undefined || s['x-kubernetes-preserve-unknown-fields'] === true }).toEqual({ path, typed: true });
        // A stray key is a YAML slip (e.g. an unquoted comma in a flow mapping); the apiserver refuses it.
        expect({ path, unknown: Object.keys(s).filter((k) => !SCHEMA_KEYWORDS.has(k) && !k.startsWith('x-kubernetes-')) }).toEqual({ path, unknown: [] });
      });
    }
  });

  it('shows phase, synced and age columns whose paths exist in the schema', () => {
    for (const kind of SYNC_KINDS) {
      const columns = crdOf(kind).spec.versions[0]!.additionalPrinterColumns;
      expect(columns.map((c) => c.name)).toEqual(expect.arrayContaining(['Phase', 'Synced', 'Age']));
      for (const column of columns) expect({ column: column.name, found: at(schemaOf(kind), column.jsonPath) !== undefined }).toEqual({ column: column.name, found: true });
    }
    expect(crdOf('Application').spec.versions[0]!.additionalPrinterColumns.map((c) => c.jsonPath)).toEqual(expect.arrayContaining(['.status.readyDevices', '.status.deployedRevision']));
  });

  it('gives every kind standard conditions, listed as a map by type', () => {
    for (const kind of SYNC_KINDS) {
      const conditions = at(schemaOf(kind), '.status.conditions')!;
      expect(conditions).toMatchObject({ type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });
      expect(conditions.items?.required).toEqual(['type', 'status', 'reason', 'message', 'lastTransitionTime']);
    }
  });

  it('checks names against the fleet pattern with a readable message', () => {
    for (const kind of SYNC_KINDS) {
      expect(schemaOf(kind)['x-kubernetes-validations']).toEqual([{ rule: expect.stringContaining('self.metadata.name.matches'), message: expect.stringContaining('DNS label') }]);
    }
  });

  describe('patterns', () => {
    const pattern = (kind: SyncKind, path: string) => new RegExp(at(schemaOf(kind), path)!.pattern!);
    const b64 = (n: number) => Buffer.alloc(n, 0xab).toString('base64');

    it('take exactly 32-byte keys and 64-byte signatures in base64', () => {
      for (const [kind, path] of [['Device', '.spec.publicKey'], ['Application', '.spec.publisherKey']] as const) {
        const key = pattern(kind, path);
        expect([key.test(b64(32)), key.test(b64(31)), key.test(b64(33)), key.test(Buffer.alloc(32).toString('hex'))]).toEqual([true, false, false, false]);
        // A base64 text of 43 significant characters may still carry bits past the 32nd byte.
        expect(key.test(`${b64(32).slice(0, 42)}B=`)).toBe(false);
      }
      const sig = pattern('Application', '.spec.signature');
      expect([sig.test(b64(64)), sig.test(b64(63)), sig.test(b64(65))]).toEqual([true, false, false]);
    });

    it('take a lowercase hex sha256, base64 module bytes and host:port endpoints', () => {
      const sha = pattern('Application', '.spec.module.sha256');
      expect([sha.test('a'.repeat(64)), sha.test('A'.repeat(64)), sha.test('a'.repeat(63))]).toEqual([true, false, false]);
      const inline = pattern('Application', '.spec.module.inlineBase64');
      expect([inline.test(b64(10)), inline.test(b64(12)), inline.test('AGFzbQ=x'), inline.test('not base64!')]).toEqual([true, true, false, false]);
      const endpoint = pattern('Gateway', '.spec.endpoint');
      expect([endpoint.test('gw-1.lab:4423'), endpoint.test('10.0.0.1:4423'), endpoint.test('[::1]:4423'), endpoint.test('gw-1.lab'), endpoint.test('http://gw:1')]).toEqual([true, true, true, false, false]);
    });
  });

  it('documents the finalizer the sync puts on objects', () => {
    for (const kind of SYNC_KINDS) expect(readFileSync(join(CRD_DIR, `${PLURALS[kind]}.${GROUP}.yaml`), 'utf8')).toContain(FINALIZER);
  });
});
