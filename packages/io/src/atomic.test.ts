import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'naplab-io-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates and replaces a file, leaving no temporary file behind', async () => {
    const p = join(dir, 'a.json');
    await writeFileAtomic(p, 'first');
    expect(await readFile(p, 'utf8')).toBe('first');
    await writeFile(p, 'old');
    await writeFileAtomic(p, 'second é');
    expect(await readFile(p, 'utf8')).toBe('second é');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('throws the file-system error with its code and cleans up', async () => {
    const p = join(dir, 'missing', 'a.json');
    await expect(writeFileAtomic(p, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});
