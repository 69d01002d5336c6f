/** Bounds on what one archive may unpack to: a bomb is refused from its headers, before inflating. */
export interface ArchiveLimits {
  /** total bytes of file contents */
  maxBytes: number;
  /** entries of any kind */
  maxFiles: number;
}

export const defaultArchiveLimits: ArchiveLimits = { maxBytes: 512 * 1024 * 1024, maxFiles: 50_000 };

/** AGENT_MAX_UNPACKED_BYTES and AGENT_MAX_ARCHIVE_FILES override the defaults; explicit values win. */
export function archiveLimits(env: NodeJS.ProcessEnv, explicit: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const fromEnv = (name: string) => {
    const value = Number.parseInt(env[name] ?? "", 10);
    return value > 0 ? value : undefined;
  };
  return {
    maxBytes: explicit.maxBytes ?? fromEnv("AGENT_MAX_UNPACKED_BYTES") ?? defaultArchiveLimits.maxBytes,
    maxFiles: explicit.maxFiles ?? fromEnv("AGENT_MAX_ARCHIVE_FILES") ?? defaultArchiveLimits.maxFiles,
  };
}
