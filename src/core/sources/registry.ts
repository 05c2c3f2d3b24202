/**
 * The sources a session has opened, each once: listing and reading a source go through the same
 * client (a GCS source's storage client is costly to build and holds its connections), however
 * many loads the session runs. Keyed by URI and the options it was opened with.
 */
import { openSource, type SourceOptions } from './index';
import type { AuditSource } from './types';

export type SourceOpener = (uri: string, options: SourceOptions) => Promise<AuditSource>;

export class SourceRegistry {
  private readonly opened = new Map<string, Promise<AuditSource>>();

  /** `open`: how a source is opened the first time it is asked for (a seam for tests). */
  constructor(private readonly open: SourceOpener = openSource) {}

  get(uri: string, options: SourceOptions = {}): Promise<AuditSource> {
    const key = sourceKey(uri, options);
    let source = this.opened.get(key);
    if (!source) {
      const opening = this.open(uri, options);
      this.opened.set(key, opening);
      // A source that failed to open is tried again the next time, not remembered as failed.
      opening.catch(() => this.opened.get(key) === opening && this.opened.delete(key));
      source = opening;
    }
    return source;
  }
}

/** The URI and the options that shape its client, in a stable order. */
function sourceKey(uri: string, options: SourceOptions): string {
  return JSON.stringify([uri, options.gcsEndpoint ?? null, sorted(options.gcs ?? {})]);
}

function sorted(value: object): [string, unknown][] {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, v !== null && typeof v === 'object' ? sorted(v as object) : v]);
}
