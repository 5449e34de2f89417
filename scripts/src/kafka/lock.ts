import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KafkaBusyError } from './errors.js';
import { isRunning } from './processes.js';

/**
 * Runs `body` while holding an exclusive lock file (created with O_EXCL, holding our pid), so two
 * `up`/`down` calls of one profile never interleave. A lock left by a dead process is taken over.
 */
export async function withLock<T>(file: string, body: () => Promise<T>): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw busy(file, error);
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && isRunning(holder)) throw busy(file, error, holder);
      await rm(file, { force: true });
    }
  }
  try {
    return await body();
  } finally {
    await rm(file, { force: true });
  }
}

function busy(file: string, cause: unknown, holder?: number): KafkaBusyError {
  const who = holder === undefined ? 'another process' : `process ${holder}`;
  return new KafkaBusyError(`${who} is starting or stopping this Kafka profile (lock ${file}); wait for it and retry`, {
    cause,
  });
}
