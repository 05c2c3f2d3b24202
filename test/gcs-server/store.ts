/** In-memory buckets and objects with GCS generations; each write makes a new generation. */
import { createHash } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';

/** Object bytes, produced in chunks on demand so a huge object need not sit in memory. */
export interface ObjectContent {
  size: number;
  read(start: number, end: number): Iterable<Buffer>;
  /** Present for content held in memory. */
  bytes?: Buffer;
}

export interface StoredObject {
  bucket: string;
  name: string;
  generation: string;
  metageneration: string;
  contentType: string;
  content: ObjectContent;
  md5Hash?: string;
  crc32c?: string;
  created: Date;
}

const CHUNK = 64 * 1024;

export function bufferContent(bytes: Buffer): ObjectContent {
  return {
    size: bytes.length,
    bytes,
    *read(start, end) {
      for (let at = start; at < end; at += CHUNK) yield bytes.subarray(at, Math.min(end, at + CHUNK));
    },
  };
}

/** `count` copies of one line (a newline is added), generated as it is read. */
export function repeatedLineContent(line: string, count: number): ObjectContent {
  const one = Buffer.from(`${line}\n`, 'utf8');
  const perBlock = Math.max(1, Math.floor((1024 * 1024) / one.length));
  const block = Buffer.concat(Array.from({ length: perBlock }, () => one));
  const size = one.length * count;
  return {
    size,
    *read(start, end) {
      let at = start;
      while (at < end) {
        const offset = at % block.length;
        const take = Math.min(block.length - offset, end - at);
        yield block.subarray(offset, offset + take);
        at += take;
      }
    },
  };
}

export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private lastGeneration = Date.now() * 1000;

  createBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  objects(bucket: string): StoredObject[] {
    return [...(this.buckets.get(bucket)?.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(bucket: string, name: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(name);
  }

  put(bucket: string, name: string, content: ObjectContent, contentType = 'application/json'): StoredObject {
    this.createBucket(bucket);
    const object: StoredObject = {
      bucket,
      name,
      generation: String(++this.lastGeneration),
      metageneration: '1',
      contentType,
      content,
      created: new Date(),
    };
    // Hashes as GCS keeps them; the client checks downloads against them.
    const md5 = createHash('md5');
    const crc = new CRC32C();
    for (const chunk of content.read(0, content.size)) {
      md5.update(chunk);
      crc.update(chunk);
    }
    object.md5Hash = md5.digest('base64');
    object.crc32c = crc.toString();
    this.buckets.get(bucket)!.set(name, object);
    return object;
  }

  delete(bucket: string, name: string): boolean {
    return this.buckets.get(bucket)?.delete(name) ?? false;
  }
}
