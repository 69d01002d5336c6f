import { chmod, readFile } from "../../registry/files/async-fs.js";
import { AgentError } from "../../schemas/errors.js";
import { writeJsonAtomic } from "../state/write-file-atomic.js";
import type { SecretStore } from "./secret-store.js";

interface CredentialsFile {
  pluginSecrets?: Record<string, Record<string, string>>;
  [other: string]: unknown;
}

/**
 * The fallback: a 0600 JSON file shaped like Claude Code's .credentials.json, rewritten atomically
 * (temp file, fsync, rename). Other top-level keys in the file are kept as they are.
 */
export function fileSecretStore(file: string, reason = "chosen by AGENT_SECRET_STORE=file"): SecretStore {
  const read = async (): Promise<CredentialsFile> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
    try {
      return JSON.parse(text) as CredentialsFile;
    } catch {
      // never echo the content: it holds secrets
      throw new AgentError("E_KEYCHAIN", `The secrets file ${file} is not valid JSON`, { hint: `Fix or remove ${file}, then set the plugins' sensitive options again.` });
    }
  };
  const write = async (content: CredentialsFile) => {
    await writeJsonAtomic(file, content, 0o600);
    await chmod(file, 0o600);
  };
  return {
    kind: "file",
    reason,
    file,
    async get(pluginId, key) {
      return (await read()).pluginSecrets?.[pluginId]?.[key];
    },
    async set(pluginId, key, value) {
      const content = await read();
      content.pluginSecrets = { ...content.pluginSecrets, [pluginId]: { ...content.pluginSecrets?.[pluginId], [key]: value } };
      await write(content);
    },
    async delete(pluginId, key) {
      const content = await read();
      const values = content.pluginSecrets?.[pluginId];
      if (!values || !(key in values)) return false;
      delete values[key];
      if (Object.keys(values).length === 0) delete content.pluginSecrets![pluginId];
      await write(content);
      return true;
    },
    async deleteAll(pluginId) {
      const content = await read();
      const keys = Object.keys(content.pluginSecrets?.[pluginId] ?? {});
      if (keys.length === 0) return [];
      delete content.pluginSecrets![pluginId];
      await write(content);
      return keys;
    },
    async keys(pluginId) {
      return Object.keys((await read()).pluginSecrets?.[pluginId] ?? {});
    },
  };
}
