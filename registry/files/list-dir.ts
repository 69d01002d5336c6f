import { readdirSync } from "node:fs";

/**
 * A directory's entries, none when it is missing or unreadable. Synchronous: it is mostly asked of
 * directories that are usually absent (staging, drop-ins), where one syscall answers sooner than a
 * round trip through the thread pool.
 */
export function listDirOrNone(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
