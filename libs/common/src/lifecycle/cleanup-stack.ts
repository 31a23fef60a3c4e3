/**
 * What to undo, run newest first and once only: the normal end, a failure and Ctrl-C all call
 * `run()`, possibly at the same time.
 */
export class CleanupStack {
  private readonly steps: { name: string; undo: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, undo: () => Promise<void> | void): void {
    this.steps.push({ name, undo });
  }

  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const { name, undo } of this.steps.reverse()) {
      try {
        await undo();
      } catch (error) {
        // One failed step must not leave the others undone (a running process, a database, a temporary directory).
        console.error(`  could not ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
