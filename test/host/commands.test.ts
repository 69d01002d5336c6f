import { afterEach, describe, expect, it } from "vitest";
import { expandCommand } from "../../host/session/expand-command.js";
import { tempDir, writePlugin } from "../support/host-session.js";

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function plugins() {
  const d = tempDir("agent-commands-");
  dirs.push(d);
  const a = writePlugin(d.path, "review-kit", {
    "commands/review.md": "---\ndescription: Review\n---\nReview the changes. Focus on: $ARGUMENTS (first: $0) in ${CLAUDE_PROJECT_DIR}",
    "commands/plain.md": "---\ndescription: Plain\n---\nDo the plain thing.",
    "skills/explain/SKILL.md": "---\ndescription: Explain\narguments: topic depth\n---\nExplain $topic at depth $depth.",
  });
  const b = writePlugin(d.path, "other-kit", { "commands/plain.md": "---\ndescription: Plain too\n---\nOther plain." });
  return [a, b];
}
const session = { projectDir: "/proj", sessionId: "s1" };

describe("slash commands", () => {
  it("/name args expands the command file with $ARGUMENTS, $N and ${CLAUDE_PROJECT_DIR}", () => {
    expect(expandCommand("/review error handling", plugins(), session)).toBe("Review the changes. Focus on: error handling (first: error) in /proj");
  });

  it("/plugin:name picks one plugin's command when two share a name; the bare name is ambiguous", () => {
    const p = plugins();
    expect(expandCommand("/other-kit:plain", p, session)).toBe("Other plain.");
    expect(() => expandCommand("/plain", p, session)).toThrow(expect.objectContaining({ code: "E_AMBIGUOUS", hint: "Use one of: /review-kit:plain, /other-kit:plain" }));
  });

  it("arguments for a body without $ARGUMENTS are appended; skills are invocable with named arguments", () => {
    const p = plugins();
    expect(expandCommand("/review-kit:plain now", p, session)).toBe("Do the plain thing.\n\nARGUMENTS: now");
    expect(expandCommand("/explain closures deep", p, session)).toBe("Explain closures at depth deep.");
  });

  it("an unknown command is E_NOT_FOUND listing the commands; a prompt that is not a command is unchanged", () => {
    expect(() => expandCommand("/nope", plugins(), session)).toThrow(expect.objectContaining({ code: "E_NOT_FOUND", message: "unknown command /nope" }));
    expect(expandCommand("fix /src/a.ts please", plugins(), session)).toBe("fix /src/a.ts please");
  });
});

describe("commands and skills of the same name", () => {
  it("/plugin:name runs the skill when a command shares its name", () => {
    const d = tempDir("agent-commands-");
    dirs.push(d);
    const p = writePlugin(d.path, "kit", { "commands/go.md": "---\ndescription: c\n---\nthe command", "skills/go/SKILL.md": "---\ndescription: s\n---\nthe skill" });
    expect(expandCommand("/kit:go", [p], session)).toBe("the skill");
  });
});
