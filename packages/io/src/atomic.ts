/**
 * Write text to a file atomically: a temporary file in the same directory, fsync, rename over the
 * target, then fsync the directory. A reader (or a crash at any instant) sees the old file or the
 * new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Throws the underlying file-system error (its `code`, e.g. `ENOENT`, `EACCES`, is kept) after
 * removing the temporary file; callers wrap it in their own coded error.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const full = resolve(path);
  const dir = dirname(full);
  const tmp = join(dir, `.${basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, full);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // directories cannot be fsynced on every platform; the rename itself is still atomic
  }
}
