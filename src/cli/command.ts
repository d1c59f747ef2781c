/** What every subcommand module exports, and how main.ts lists it without loading it. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: string[]): Promise<number>;
}

/** A command as main() lists it: its summary, and its module, loaded only when it runs. */
export interface CommandEntry {
  readonly summary: string;
  load(): Promise<Command>;
}
