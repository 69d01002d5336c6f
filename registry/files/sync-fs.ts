import { readdirSync, rmdirSync, statSync, unlinkSync } from "node:fs";

// Synchronous file calls for the small steps a command takes on every run, where one syscall costs less
// than a round trip through the thread pool (registry/files/async-fs.ts has the asynchronous ones).

/** A directory's entries, none when it is missing or unreadable (staging and drop-in dirs usually are). */
export function listDirOrNone(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Removes a file if it is there (unlink: fs.rmSync would load Node's recursive remover for one file). */
export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Removes a directory if it is there and empty (rmdir never removes what is inside). */
export function removeDirIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // missing, or not empty
  }
}

/** Whether `path` is a directory (false when it is missing or cannot be looked at). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}
