/** Writing exported chunks to a file stream with back-pressure. */
import type { WriteStream } from 'node:fs';

/** A file sink that respects back-pressure: each chunk waits until the stream can take more. */
export function fileSink(stream: WriteStream): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      stream.once('error', onError);
      const flushed = stream.write(chunk, 'utf8');
      const done = () => {
        stream.off('error', onError);
        resolve();
      };
      if (flushed) done();
      else stream.once('drain', done);
    });
}
