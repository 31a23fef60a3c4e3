/**
 * Event-type patterns: `*` alone matches every type; elsewhere `*` matches any run of
 * characters, so `invoice.*` matches `invoice.paid` and `invoice.line.added`.
 */
export class EventTypePattern {
  private readonly regex: RegExp | null;

  constructor(readonly pattern: string) {
    this.regex = pattern.includes('*')
      ? new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`)
      : null;
  }

  matches(eventType: string): boolean {
    return this.regex ? this.regex.test(eventType) : this.pattern === eventType;
  }
}

export function matchesAny(patterns: string[], eventType: string): boolean {
  return patterns.some((pattern) => new EventTypePattern(pattern).matches(eventType));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
