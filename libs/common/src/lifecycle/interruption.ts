/**
 * Ctrl-C (or SIGTERM) for a command-line tool: the first one calls `onInterrupt` (clean up, then
 * exit); another one exits at once. npm passes the terminal's Ctrl-C on a moment after the terminal
 * itself, so a second signal within a second is that copy and is ignored.
 */
export class Interruption {
  private at: number | null = null;

  get happened(): boolean {
    return this.at !== null;
  }

  listen(onInterrupt: (signal: NodeJS.Signals) => void): void {
    const handle = (signal: NodeJS.Signals) => {
      if (this.at !== null) {
        if (Date.now() - this.at < 1000) return;
        process.exit(130);
      }
      this.at = Date.now();
      onInterrupt(signal);
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
  }
}
