import { describe, expect, it } from "vitest";
import {
  AF_UNIX,
  buildSeccompFilter,
  decodeBpf,
  evaluateBpf,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  seccompArchFor,
  seccompArchTables,
} from "../../host/sandbox/seccomp-filter.js";

const EPERM = SECCOMP_RET_ERRNO | 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const io_uring = { setup: 425, enter: 426, register: 427 };
const AUDIT_ARCH_I386 = 0x40000003;
const AUDIT_ARCH_ARM = 0x40000028;

describe("seccomp filter (classic BPF built in TypeScript)", () => {
  for (const arch of ["x64", "arm64"] as const) {
    const t = seccompArchTables[arch];
    const prog = buildSeccompFilter(arch);
    const verdict = (nr: number, args: number[] = [], audit = t.audit) => evaluateBpf(prog, { arch: audit, nr, args });

    describe(arch, () => {
      it("is a whole number of struct sock_filter (8 bytes each) and at most 4096 instructions", () => {
        expect(prog.length % 8).toBe(0);
        expect(prog.length / 8).toBeGreaterThan(5);
        expect(prog.length / 8).toBeLessThanOrEqual(4096);
      });

      it("checks the architecture first and kills a foreign one", () => {
        const [first, second] = decodeBpf(prog);
        expect(first).toEqual({ code: 0x20, jt: 0, jf: 0, k: 4 }); // ld [4] = seccomp_data.arch
        expect(second!.code).toBe(0x15);
        expect(second!.k).toBe(t.audit);
        for (const foreign of [AUDIT_ARCH_I386, AUDIT_ARCH_ARM, arch === "x64" ? seccompArchTables.arm64.audit : seccompArchTables.x64.audit])
          expect(verdict(t.socket, [AF_INET], foreign)).toBe(SECCOMP_RET_KILL_PROCESS);
      });

      it("denies socket(AF_UNIX) with EPERM and allows AF_INET, AF_INET6 and netlink sockets", () => {
        expect(verdict(t.socket, [AF_UNIX, 1, 0])).toBe(EPERM);
        expect(verdict(t.socket, [AF_INET, 1, 0])).toBe(SECCOMP_RET_ALLOW);
        expect(verdict(t.socket, [AF_INET6, 1, 0])).toBe(SECCOMP_RET_ALLOW);
        expect(verdict(t.socket, [AF_NETLINK, 3, 0])).toBe(SECCOMP_RET_ALLOW);
      });

      it("denies io_uring_setup, io_uring_enter and io_uring_register", () => {
        expect(verdict(io_uring.setup)).toBe(EPERM);
        expect(verdict(io_uring.enter)).toBe(EPERM);
        expect(verdict(io_uring.register)).toBe(EPERM);
      });

      it("denies the kernel keyring calls (add_key, request_key, keyctl)", () => {
        for (const nr of t.deny.filter((n) => n < 425)) expect(verdict(nr)).toBe(EPERM);
        expect(t.deny.filter((n) => n < 425)).toHaveLength(3);
      });

      it("allows ordinary syscalls (read, write, openat, clone, execve)", () => {
        const ordinary = arch === "x64" ? [0, 1, 257, 56, 59] : [63, 64, 56, 220, 221];
        for (const nr of ordinary) expect(verdict(nr)).toBe(SECCOMP_RET_ALLOW);
      });
    });
  }

  it("denies x32 syscalls on x86_64 (the x32 bit would bypass the socket check)", () => {
    const prog = buildSeccompFilter("x64");
    expect(evaluateBpf(prog, { arch: seccompArchTables.x64.audit, nr: 0x40000000 | 41, args: [AF_UNIX] })).toBe(EPERM);
    expect(evaluateBpf(prog, { arch: seccompArchTables.x64.audit, nr: 0x40000000 | 0 })).toBe(EPERM);
  });

  it("has a filter for x64 and arm64 only", () => {
    expect(seccompArchFor("x64")).toBe("x64");
    expect(seccompArchFor("arm64")).toBe("arm64");
    expect(seccompArchFor("ia32")).toBeUndefined();
    expect(seccompArchFor("arm")).toBeUndefined();
    expect(seccompArchFor("riscv64")).toBeUndefined();
  });

  it("is byte-for-byte deterministic", () => {
    expect(buildSeccompFilter("x64").equals(buildSeccompFilter("x64"))).toBe(true);
    expect(buildSeccompFilter("x64").equals(buildSeccompFilter("arm64"))).toBe(false);
  });
});
