/**
 * In an untrusted workspace, a notebook file (or anything the webview sends) may name sources the
 * user never chose: any local folder, or any bucket through the user's own credentials. Before
 * such sources load, the user is asked; sources from the user's own settings, or ones the user
 * already allowed in this panel, load without a question. A trusted workspace is never asked about.
 */
export interface SourceConsentOptions {
  isTrusted(): boolean;
  /** The sources the user configured (in an untrusted workspace, only the user's own settings). */
  userSources(): readonly string[];
  /** Asks the user whether to load these sources; true means yes. */
  ask(sources: readonly string[]): Promise<boolean>;
}

export class SourceConsent {
  private readonly allowed = new Set<string>();

  constructor(private readonly options: SourceConsentOptions) {}

  /** Sources that need the user's consent before they load (none in a trusted workspace). */
  unapproved(sources: readonly string[]): string[] {
    if (this.options.isTrusted()) return [];
    const known = new Set(this.options.userSources().map(normalize));
    return [...new Set(sources)].filter((s) => !known.has(normalize(s)) && !this.allowed.has(normalize(s)));
  }

  /** True when the sources may load: nothing to ask, or the user said yes (remembered for this panel). */
  async mayLoad(sources: readonly string[]): Promise<boolean> {
    const unknown = this.unapproved(sources);
    if (unknown.length === 0) return true;
    if (!(await this.options.ask(unknown))) return false;
    for (const source of unknown) this.allowed.add(normalize(source));
    return true;
  }
}

function normalize(source: string): string {
  return source.trim().replace(/[\\/]+$/, '');
}
