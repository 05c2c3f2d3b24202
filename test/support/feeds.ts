/** Line feeds as plain data, to compare one reader with another. */
import type { FileLines } from '../../src/core/sql/line-feed';

/** What a feed gave, file by file: each item as `line:kind` and the count passed over. */
export async function feedOutline(feed: AsyncIterable<FileLines>): Promise<{ position: number; byIndex: boolean; items: string[]; passedOver: number }[]> {
  const outline = [];
  for await (const file of feed) {
    const items: string[] = [];
    for await (const batch of file.batches) for (const item of batch) items.push(item.kind === 'line' ? `${item.line}@${item.offset}:${item.text}` : `${item.line}@${item.offset}:problem:${item.reason}`);
    outline.push({ position: file.position, byIndex: file.byIndex, items, passedOver: file.passedOver() });
  }
  return outline;
}
