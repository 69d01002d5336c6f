let count = 0;

/**
 * A name part no other temp file of this process has (with the pid beside it, of any process), made
 * without node:crypto, which commands that write state would otherwise load only for this.
 */
export function uniqueSuffix(): string {
  count += 1;
  return `${count.toString(36)}${Math.floor(Math.random() * 0xffffffff).toString(16)}`;
}

/** Whether the process with this pid runs (as the same user or another: EPERM means it exists). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
