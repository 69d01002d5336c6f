import { describe, expect, it } from "vitest";
import { decideSandboxMode, sandboxModeWarnings } from "../../host/sandbox/sandbox-mode.js";

describe("who may turn the sandbox off", () => {
  it("the user: --no-sandbox", () => {
    const d = decideSandboxMode({ noSandbox: true });
    expect(d).toEqual({ mode: "off", offBy: "--no-sandbox", ignoredProjectOff: false });
    expect(sandboxModeWarnings(d)).toEqual([expect.stringMatching(/sandbox is OFF \(--no-sandbox\)/)]);
  });

  it('the user: "sandbox": "off" in user settings', () => {
    const d = decideSandboxMode({ userSettings: { sandbox: "off" } });
    expect(d.mode).toBe("off");
    expect(d.offBy).toBe("user settings");
  });

  it('never a project: "sandbox": "off" in project or local settings is ignored, with a warning', () => {
    const d = decideSandboxMode({ userSettings: {}, projectSettings: [{ sandbox: "off" }, {}] });
    expect(d.mode).toBe("auto");
    const warnings = sandboxModeWarnings(d);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/project's settings ask for "sandbox": "off"; ignored/);
  });

  it("the default is the sandbox", () => {
    expect(decideSandboxMode({})).toEqual({ mode: "auto", ignoredProjectOff: false });
    expect(decideSandboxMode({ userSettings: { sandbox: "auto" } }).mode).toBe("auto");
    expect(sandboxModeWarnings(decideSandboxMode({}))).toEqual([]);
  });
});
