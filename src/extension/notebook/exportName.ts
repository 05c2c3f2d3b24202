/** The file name an export suggests: the cell's title, made safe for any file system. */
import type { ExportFormat } from '../../protocol/notebook';

export function safeFileName(title: string, format: ExportFormat): string {
  const base = title.replace(/[^\p{L}\p{N} _.-]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'audit-lens-result';
  return `${base}.${format}`;
}
