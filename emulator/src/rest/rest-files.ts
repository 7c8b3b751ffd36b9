import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { newRecordId } from '../ids';

/**
 * Files to download, as Salesforce serves a ContentVersion's bytes at
 * `GET /services/data/vXX.X/sobjects/ContentVersion/{id}/VersionData`. Their bytes are made as they
 * are sent (a 200 MB file costs no memory), the same every time, and every download is counted:
 * started, completed, or closed by the client before the end.
 */
export interface EmulatorFile {
  id: string;
  orgId: string;
  size: number;
  /** Hex SHA-256 of the bytes, for a client to check what it received. */
  sha256: string;
  downloads: { started: number; completed: number; aborted: number };
  /** 64 KB of random bytes; block i is this block with i written into its first 8 bytes. */
  block: Buffer;
}

const BLOCK_BYTES = 64 * 1024;
const CONTENT_VERSION_PREFIX = '068';

export function createFile(orgId: string, size: number): EmulatorFile {
  const file: EmulatorFile = { id: newRecordId(CONTENT_VERSION_PREFIX), orgId, size, sha256: '', downloads: { started: 0, completed: 0, aborted: 0 }, block: randomBytes(BLOCK_BYTES) };
  const hash = createHash('sha256');
  for (let index = 0; index * BLOCK_BYTES < size; index++) hash.update(blockAt(file, index));
  file.sha256 = hash.digest('hex');
  return file;
}

/** The file's bytes from `index * 64 KB`, at most 64 KB. */
function blockAt(file: EmulatorFile, index: number): Buffer {
  const length = Math.min(BLOCK_BYTES, file.size - index * BLOCK_BYTES);
  const block = Buffer.from(file.block.subarray(0, length));
  if (length >= 8) block.writeBigUInt64BE(BigInt(index), 0);
  return block;
}

/** Sends the file's bytes with back-pressure; a client that goes away stops the sending (and is counted). */
export function sendFile(_req: Request, res: Response, file: EmulatorFile): void {
  file.downloads.started += 1;
  res.writeHead(200, { 'content-type': 'application/octetstream', 'content-length': String(file.size) });
  let index = 0;
  let finished = false;
  res.once('close', () => {
    if (finished) file.downloads.completed += 1;
    else file.downloads.aborted += 1;
  });
  const pump = () => {
    while (index * BLOCK_BYTES < file.size) {
      if (res.destroyed) return;
      const more = res.write(blockAt(file, index++));
      if (!more) return void res.once('drain', pump);
    }
    res.end(() => (finished = true));
  };
  pump();
}

export function describeFile(file: EmulatorFile, version = '62.0') {
  return { id: file.id, size: file.size, sha256: file.sha256, path: `services/data/v${version}/sobjects/ContentVersion/${file.id}/VersionData`, downloads: file.downloads };
}
