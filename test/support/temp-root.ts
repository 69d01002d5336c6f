import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * vitest's globalSetup: the temp dirs a test run makes through os.tmpdir() (in the test processes, and
 * in the commands they start with the environment they inherit) all go under one directory, removed
 * when the run ends, so no run leaves homes, marketplaces or repositories behind in the system's temp dir.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "agent-test-run-"));
  chmodSync(root, 0o1777); // as /tmp: tests that run a part as another user (nobody, postgres) reach their dirs
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
