/** Keeps the last lines of a process's output for error messages. */
export class LogTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines: number) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  includes(needle: string): boolean {
    return this.partial.includes(needle) || this.lines.some((line) => line.includes(needle));
  }

  text(): string {
    return [...this.lines, this.partial].filter((l) => l !== '').join('\n');
  }
}
