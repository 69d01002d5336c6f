/**
 * The program run in a child node (`node -e <script> <keyring module> <op> <service> [account|prefix]`)
 * for every keychain call: @napi-rs/keyring blocks the event loop forever when the D-Bus peer accepts
 * the connection but never answers, so the parent runs this with a timeout and SIGKILL.
 * The secret travels on stdin, never in argv; stdout is one JSON line: {ok, value?, keys?, error?}.
 * Linux entries are pinned to the Secret Service (the library otherwise falls back silently to the
 * kernel keyring, which forgets everything on reboot).
 */
export const keychainHelperScript = String.raw`
"use strict";
const [modulePath, op, service, name] = process.argv.slice(1);
const out = (value) => process.stdout.write(JSON.stringify(value) + "\n");
try {
  const keyring = require(modulePath);
  const options = { linux: { store: "secret-service" } };
  const entry = (account) => new keyring.Entry(service, account, options);
  const readStdin = () => require("node:fs").readFileSync(0, "utf8");
  if (op === "get") {
    const value = entry(name).getPassword();
    out({ ok: true, value: value === null ? undefined : value });
  } else if (op === "set") {
    entry(name).setPassword(readStdin());
    out({ ok: true });
  } else if (op === "delete") {
    out({ ok: true, deleted: entry(name).deletePassword() });
  } else if (op === "list" || op === "delete-prefix") {
    entry(name + "probe").getPassword(); // fails loudly when the Secret Service is not there
    const keys = keyring.findCredentials(service).map((c) => c.account).filter((a) => a.startsWith(name));
    if (op === "delete-prefix") for (const account of keys) entry(account).deletePassword();
    out({ ok: true, keys: keys.map((a) => a.slice(name.length)) });
  } else if (op === "probe") {
    const e = entry(name);
    const token = require("node:crypto").randomBytes(8).toString("hex");
    e.setPassword(token);
    const back = e.getPassword();
    e.deletePassword();
    if (back !== token) throw new Error("the keychain did not return what was stored");
    out({ ok: true });
  } else throw new Error("unknown operation " + op);
} catch (error) {
  out({ ok: false, error: String(error && error.message || error) });
}
`;
