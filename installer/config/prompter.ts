/** Asks a person one question on the terminal; secret answers are not echoed. */
export type Prompter = (question: string, options?: { secret?: boolean }) => Promise<string>;

export function terminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  return async (question, options = {}) => {
    const { createInterface } = await import("node:readline"); // only a command that asks loads it
    return new Promise((resolve) => {
      const rl = createInterface({ input, output, terminal: true });
      if (options.secret) {
        const internal = rl as unknown as { _writeToOutput: (s: string) => void };
        let asked = false;
        internal._writeToOutput = (s: string) => {
          if (!asked) {
            asked = true;
            output.write(s);
          } else if (s.includes("\n")) output.write("\n");
        };
      }
      rl.question(question, (answer) => {
        rl.close();
        resolve(answer);
      });
    });
  };
}
