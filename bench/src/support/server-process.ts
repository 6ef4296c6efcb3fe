/** A TLS server the bench runs in its own process and measures from the outside (/proc). */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** Port devices connect to. */
  readonly port: number;
  stop(): Promise<void>;
}
