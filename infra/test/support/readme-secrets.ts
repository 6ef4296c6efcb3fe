/**
 * The `kubectl -n wasmbed create secret …` commands a README documents, with the
 * keys each creates, so tests can hold the manifests' Secret references to them.
 */
export interface DocumentedSecret {
  readonly name: string;
  readonly type: 'generic' | 'tls';
  readonly keys: readonly string[];
}

export function documentedSecrets(markdown: string): DocumentedSecret[] {
  // Shell line continuations joined, so one command is one line.
  const lines = markdown.replace(/\\\n\s*/g, ' ').split('\n');
  const found: DocumentedSecret[] = [];
  for (const line of lines) {
    const m = /kubectl -n wasmbed create secret (generic|tls) ([a-z0-9-]+)(.*)$/.exec(line.trim());
    if (m === null) continue;
    const type = m[1] as 'generic' | 'tls';
    const rest = m[3] ?? '';
    const keys =
      type === 'tls' ? ['tls.crt', 'tls.key'] : [...rest.matchAll(/--from-(?:literal|file)=([A-Za-z0-9._-]+)=/g)].map((k) => k[1] as string);
    found.push({ name: m[2] as string, type, keys });
  }
  return found;
}
