import { spawn } from "node:child_process";

/**
 * Runs an npm command under a pseudo-terminal (util-linux `script`), answering its prompts: npm
 * login only reads a password from a TTY.
 */
export function npmAtTerminal(command: string, home: string, answers: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], { env: { PATH: process.env.PATH, HOME: home, TERM: "dumb" }, stdio: ["pipe", "pipe", "pipe"] });
    const pending = new Map(Object.entries(answers));
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not finish in 60 s: ${output}`));
    }, 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const [prompt, answer] of pending) {
        if (!output.includes(prompt)) continue;
        pending.delete(prompt);
        child.stdin.write(`${answer}\n`);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
}
