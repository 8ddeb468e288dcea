// Work per request is bounded (issue 16, item 7): the language server gives each request a time
// budget; the service checks it between units of work (a finding's fixes, a fix-all recipe, a
// hover part, a completion item) and answers with what it has when it is spent, noting what it
// left out so that the server can log it. The CLI passes no budget and always gets everything.

/** The time a request may block the server (the editor's requests, not the CLI). */
export const REQUEST_BUDGET_MS = 100;

export class Budget {
  private readonly deadline: number;
  /** What was left out because the budget ran out (for the log). */
  readonly cut: string[] = [];

  /** `now` is for tests (a clock that advances per check makes the cut deterministic). */
  constructor(
    readonly ms: number = REQUEST_BUDGET_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.deadline = now() + ms;
  }

  get spent(): boolean {
    return this.now() >= this.deadline;
  }

  /** Records a partial answer. */
  note(what: string): void {
    this.cut.push(what);
  }
}
