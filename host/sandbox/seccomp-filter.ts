/**
 * The seccomp program every sandboxed plugin process runs under, built as classic-BPF bytes (struct
 * sock_filter, little endian) so no compiler or native helper is needed; bwrap reads it from an fd
 * (`--seccomp FD`). It allows everything except:
 * - socket(AF_UNIX, …) → EPERM: a read-only bind does not stop connect() to a visible unix socket
 *   (D-Bus session bus → the whole keychain, ssh-agent, docker.sock). socketpair() stays allowed:
 *   it reaches nothing, and libuv builds child stdio pipes with it.
 * - io_uring_setup/enter/register → EPERM: io_uring performs socket/open operations seccomp never sees.
 * - add_key/keyctl/request_key → EPERM: the kernel keyring is shared with the host user.
 * - x32 syscalls (x86_64) → EPERM; any foreign architecture (i386 via int 0x80, arm32) → kill.
 */
export type SeccompArch = "x64" | "arm64";

interface ArchTable {
  audit: number;
  socket: number;
  deny: number[];
  x32: boolean;
}

export const seccompArchTables: Record<SeccompArch, ArchTable> = {
  // linux/arch/x86/entry/syscalls/syscall_64.tbl
  x64: { audit: 0xc000003e, socket: 41, deny: [248, 249, 250, 425, 426, 427], x32: true },
  // include/uapi/asm-generic/unistd.h
  arm64: { audit: 0xc00000b7, socket: 198, deny: [217, 218, 219, 425, 426, 427], x32: false },
};

export const AF_UNIX = 1;
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;

// BPF opcodes
const LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JGE_K = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const RET_K = 0x06; // BPF_RET | BPF_K

// offsets in struct seccomp_data
const NR = 0;
const ARCH = 4;
const ARG0_LOW = 16;

type Label = "next" | "deny" | "allow" | "kill" | "socket";
type Op = { code: number; k: number; jt?: Label; jf?: Label; label?: Label };

export function seccompArchFor(nodeArch: string = process.arch): SeccompArch | undefined {
  return nodeArch === "x64" || nodeArch === "arm64" ? nodeArch : undefined;
}

/** Returns the filter program for `arch` as bytes of struct sock_filter[]. */
export function buildSeccompFilter(arch: SeccompArch): Buffer {
  const t = seccompArchTables[arch];
  const ops: Op[] = [
    { code: LD_W_ABS, k: ARCH },
    { code: JEQ_K, k: t.audit, jt: "next", jf: "kill" },
    { code: LD_W_ABS, k: NR },
  ];
  if (t.x32) ops.push({ code: JGE_K, k: 0x40000000, jt: "deny", jf: "next" });
  ops.push({ code: JEQ_K, k: t.socket, jt: "socket", jf: "next" });
  for (const nr of t.deny) ops.push({ code: JEQ_K, k: nr, jt: "deny", jf: "next" });
  ops.push(
    { code: RET_K, k: SECCOMP_RET_ALLOW },
    { code: LD_W_ABS, k: ARG0_LOW, label: "socket" },
    { code: JEQ_K, k: AF_UNIX, jt: "deny", jf: "allow" },
    { code: RET_K, k: SECCOMP_RET_ERRNO | EPERM, label: "deny" },
    { code: RET_K, k: SECCOMP_RET_ALLOW, label: "allow" },
    { code: RET_K, k: SECCOMP_RET_KILL_PROCESS, label: "kill" },
  );
  const at = new Map<Label, number>();
  ops.forEach((op, i) => op.label && at.set(op.label, i));
  const out = Buffer.alloc(ops.length * 8);
  ops.forEach((op, i) => {
    const jump = (target: Label | undefined) => {
      if (target === undefined || target === "next") return 0;
      const offset = at.get(target)! - i - 1;
      if (offset < 0 || offset > 255) throw new Error(`seccomp: jump to ${target} out of range`);
      return offset;
    };
    out.writeUInt16LE(op.code, i * 8);
    out.writeUInt8(jump(op.jt), i * 8 + 2);
    out.writeUInt8(jump(op.jf), i * 8 + 3);
    out.writeUInt32LE(op.k >>> 0, i * 8 + 4);
  });
  return out;
}

/** One decoded instruction; used by tests and `agent doctor --debug`. */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export function decodeBpf(bytes: Buffer): BpfInstruction[] {
  const list: BpfInstruction[] = [];
  for (let i = 0; i + 8 <= bytes.length; i += 8)
    list.push({ code: bytes.readUInt16LE(i), jt: bytes.readUInt8(i + 2), jf: bytes.readUInt8(i + 3), k: bytes.readUInt32LE(i + 4) });
  return list;
}

/**
 * Runs the program on one syscall, as the kernel would: used by tests to check the verdict for a
 * (arch, nr, arg0) triple without relying on the running machine's architecture.
 */
export function evaluateBpf(bytes: Buffer, data: { arch: number; nr: number; args?: number[] }): number {
  const prog = decodeBpf(bytes);
  let acc = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    const { code, jt, jf, k } = prog[pc]!;
    if (code === LD_W_ABS) acc = k === ARCH ? data.arch : k === NR ? data.nr : k >= 16 ? (data.args?.[(k - 16) / 8] ?? 0) >>> 0 : 0;
    else if (code === JEQ_K) pc += acc >>> 0 === k ? jt : jf;
    else if (code === JGE_K) pc += acc >>> 0 >= k ? jt : jf;
    else if (code === RET_K) return k;
    else throw new Error(`unexpected BPF opcode 0x${code.toString(16)}`);
  }
  throw new Error("BPF program fell off the end");
}
