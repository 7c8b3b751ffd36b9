import type { Readable } from 'node:stream';

/**
 * Reads a body until it ends or `limit` bytes are in, whichever comes first. Answers those bytes,
 * and the stream itself, paused, when more is to come (the bytes read are no longer in it).
 */
export function readHead(body: Readable, limit: number): Promise<{ head: Buffer; rest?: Readable }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (ended: boolean) => {
      body.off('data', onData).off('end', onEnd).off('error', onError);
      const head = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      resolve(ended ? { head } : { head, rest: body });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        body.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onError = (err: Error) => {
      body.off('data', onData).off('end', onEnd).off('error', onError);
      reject(err);
    };
    body.on('data', onData).once('end', onEnd).once('error', onError);
  });
}
