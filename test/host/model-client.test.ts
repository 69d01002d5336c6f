import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ModelClient } from "../../host/engine/model-client.js";
import { proxyFor } from "../../registry/sources/http-proxy.js";
import { streamTurn } from "../../host/engine/stream-turn.js";
import { startForwardProxy } from "../support/forward-proxy.js";
import { requireTool } from "../support/real-parts.js";

/** A loopback server whose every request runs the next handler; it records what it received. */
async function serve(handlers: ((res: ServerResponse, body: Record<string, unknown>, headers: IncomingHttpHeaders) => void)[]) {
  const seen: { url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    seen.push({ url: req.url ?? "", headers: req.headers, body });
    const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)]!;
    handler(res, body, req.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { url, seen };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const sse = (events: Record<string, unknown>[], separator = "\n") => events.map((e) => `event: ${String(e.type)}${separator}data: ${JSON.stringify(e)}${separator}${separator}`).join("");

const start = { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } };
const toolTurn = [
  start,
  { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Let me " } },
  { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "look." } },
  { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig" } },
  { type: "content_block_stop", index: 0 },
  { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Reading " } },
  { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "it." } },
  { type: "content_block_stop", index: 1 },
  { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_1", name: "Read", input: {} } },
  { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"file_pa' } },
  { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: 'th":"a.txt"}' } },
  { type: "content_block_stop", index: 2 },
  { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 30 } },
  { type: "message_stop" },
];
const textTurn = (text: string) => [
  start,
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
  { type: "content_block_stop", index: 0 },
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 2 } },
  { type: "message_stop" },
];

const params = { model: "m", max_tokens: 100, messages: [{ role: "user" as const, content: "hi" }] };
const stream = (res: ServerResponse, body: string) => res.writeHead(200, { "content-type": "text/event-stream" }).end(body);

describe("ModelClient", () => {
  it("streams a turn and puts the message together as the SDK does (thinking, text, tool input)", async () => {
    const { url, seen } = await serve([(res) => stream(res, `: comment\n\nevent: ping\ndata: {"type":"ping"}\n\n${sse(toolTurn)}`)]);
    const client = new ModelClient({ apiKey: "key-1", baseURL: `${url}/`, userAgent: "agent/test" });
    const turn = streamTurn(client, params, new AbortController().signal);
    const texts: string[] = [];
    let result = await turn.next();
    while (!result.done) {
      if (result.value.type === "text") texts.push(result.value.text);
      result = await turn.next();
    }
    expect(texts).toEqual(["Reading ", "it."]);
    expect(result.value).toEqual({
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "m",
      content: [
        { type: "thinking", thinking: "Let me look.", signature: "sig" },
        { type: "text", text: "Reading it." },
        { type: "tool_use", id: "toolu_1", name: "Read", input: { file_path: "a.txt" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 30 },
    });
    expect(seen[0]!.url).toBe("/v1/messages");
    expect(seen[0]!.body).toEqual({ ...params, stream: true });
    expect(seen[0]!.headers).toMatchObject({ "x-api-key": "key-1", "anthropic-version": "2023-06-01", "content-type": "application/json", "user-agent": "agent/test" });
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it("sends a bearer token, keeps a gateway's path prefix and reads CRLF-framed events", async () => {
    const { url, seen } = await serve([(res) => stream(res, sse(textTurn("hello"), "\r\n"))]);
    const client = new ModelClient({ authToken: "tok", baseURL: `${url}/gateway/anthropic` });
    const message = await client.messages.stream(params).finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "hello" }]);
    expect(seen[0]!.url).toBe("/gateway/anthropic/v1/messages");
    expect(seen[0]!.headers.authorization).toBe("Bearer tok");
    expect(seen[0]!.headers["x-api-key"]).toBeUndefined();
  });

  it("retries 429 and 529 after retry-after-ms, then streams", async () => {
    const overloaded = (status: number) => (res: ServerResponse) =>
      res.writeHead(status, { "content-type": "application/json", "retry-after-ms": "10" }).end(JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    const { url, seen } = await serve([overloaded(429), overloaded(529), (res) => stream(res, sse(textTurn("third time")))]);
    const message = await new ModelClient({ apiKey: "k", baseURL: url }).messages.stream(params).finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "third time" }]);
    expect(seen).toHaveLength(3);
  });

  it("does not retry a 400, and reports the API's error type, message and status as E_MODEL", async () => {
    const { url, seen } = await serve([(res) => res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: too large" } }))]);
    const error = await new ModelClient({ apiKey: "k", baseURL: url }).messages.stream(params).finalMessage().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_MODEL", message: "the model API failed (HTTP 400): invalid_request_error: max_tokens: too large", details: { status: 400 } });
    expect(seen).toHaveLength(1);
  });

  it("x-should-retry: false stops the retries of a 500; gives up after maxRetries", async () => {
    const { url, seen } = await serve([(res) => res.writeHead(500, { "x-should-retry": "false" }).end("boom")]);
    await expect(new ModelClient({ apiKey: "k", baseURL: url }).messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", details: { status: 500 } });
    expect(seen).toHaveLength(1);
    const again = await serve([(res) => res.writeHead(503, { "retry-after-ms": "5" }).end("busy")]);
    await expect(new ModelClient({ apiKey: "k", baseURL: again.url, maxRetries: 1 }).messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining("(HTTP 503): busy") });
    expect(again.seen).toHaveLength(2);
  });

  it("an error event mid-stream fails the turn; so does a stream cut before message_stop", async () => {
    const midStream = [...textTurn("partial").slice(0, 3), { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }];
    const { url } = await serve([(res) => stream(res, sse(midStream)), (res) => stream(res, sse(textTurn("cut").slice(0, 4)))]);
    const client = new ModelClient({ apiKey: "k", baseURL: url });
    await expect(client.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining("mid-stream: overloaded_error: Overloaded") });
    await expect(client.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining("ended before message_stop") });
  });

  it("a server that cannot be reached is E_MODEL after the retries", async () => {
    const { url } = await serve([() => {}]);
    await closers.pop()!();
    await expect(new ModelClient({ apiKey: "k", baseURL: url, maxRetries: 1 }).messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining("cannot reach the model API") });
  });

  it("a silent server times out (E_TIMEOUT); an abort mid-stream is E_ABORTED", async () => {
    const { url } = await serve([() => {}]);
    await expect(new ModelClient({ apiKey: "k", baseURL: url, maxRetries: 0, timeoutMs: 100 }).messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_TIMEOUT" });
    const held = await serve([(res) => res.writeHead(200, { "content-type": "text/event-stream" }).write(sse(textTurn("never ends").slice(0, 3)))]);
    const controller = new AbortController();
    const turn = streamTurn(new ModelClient({ apiKey: "k", baseURL: held.url }), params, controller.signal);
    expect((await turn.next()).value).toEqual({ type: "text", text: "never ends" });
    controller.abort();
    await expect(turn.next()).rejects.toMatchObject({ code: "E_ABORTED" });
  });
});

describe("ModelClient over HTTPS", () => {
  it("reaches a gateway whose certificate comes from a private CA named by NODE_EXTRA_CA_CERTS", async () => {
    requireTool("openssl");
    const dir = mkdtempSync(join(tmpdir(), "agent-model-tls-"));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=agent test CA"]);
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
    writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext"]);
    const server = createHttpsServer({ key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")) }, async (req, res) => {
      for await (const _ of req);
      stream(res, sse(textTurn("over tls")));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // the built client in a fresh process: Node reads NODE_EXTRA_CA_CERTS at start-up only
    const client = pathToFileURL(fileURLToPath(new URL("../../dist/host/engine/model-client.js", import.meta.url))).href;
    const script = `const { ModelClient } = await import(${JSON.stringify(client)}); const m = await new ModelClient({ apiKey: "k", baseURL: process.argv[1], maxRetries: 0, env: process.env }).messages.stream({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }).finalMessage(); console.log(m.content[0].text);`;
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script, url], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", (code) => resolve({ code, out }));
      });
    expect(await run({ NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") })).toEqual({ code: 0, out: "over tls\n" });
    // through a CONNECT proxy: the tunnel carries TLS to the API host, so the proxy sees only where to
    const proxy = await startForwardProxy();
    closers.push(proxy.close);
    expect(await run({ NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), HTTPS_PROXY: proxy.url })).toEqual({ code: 0, out: "over tls\n" });
    expect(proxy.seen).toEqual([`CONNECT ${new URL(url).host}`]);
    const untrusted = await run({});
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.out).toMatch(/E_MODEL|certificate/);
  });
});

describe("ModelClient redirects", () => {
  it("follows a same-origin 307/308 with the body; refuses 301 and any redirect to another origin, whose server never sees the key", async () => {
    const elsewhere = await serve([(res) => stream(res, sse(textTurn("stolen")))]);
    const { url, seen } = await serve([
      (res) => res.writeHead(308, { location: "/moved/v1/messages" }).end(),
      (res) => stream(res, sse(textTurn("moved"))),
      (res) => res.writeHead(301, { location: "/old" }).end(),
      (res) => res.writeHead(307, { location: `${elsewhere.url}/v1/messages` }).end(),
    ]);
    const client = new ModelClient({ apiKey: "secret-key", baseURL: url });
    expect((await client.messages.stream(params).finalMessage()).content).toEqual([{ type: "text", text: "moved" }]);
    expect(seen.map((r) => r.url)).toEqual(["/v1/messages", "/moved/v1/messages"]);
    expect(seen[1]!.body).toEqual({ ...params, stream: true });
    await expect(client.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining("(HTTP 301); set ANTHROPIC_BASE_URL to the new address") });
    await expect(client.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining(`redirects to ${elsewhere.url}/v1/messages (HTTP 307)`) });
    expect(elsewhere.seen).toEqual([]);
  });
});

describe("ModelClient compressed bodies", () => {
  it("reads a gzip stream and a brotli error body as fetch would; an unknown encoding is a clear E_MODEL", async () => {
    const { gzipSync, brotliCompressSync } = await import("node:zlib");
    const { url } = await serve([
      (res) => res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" }).end(gzipSync(sse(textTurn("zipped")))),
      (res) => res.writeHead(400, { "content-type": "application/json", "content-encoding": "br" }).end(brotliCompressSync(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "bad model" } }))),
      (res) => res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "zstd" }).end("?"),
    ]);
    const client = new ModelClient({ apiKey: "k", baseURL: url });
    expect((await client.messages.stream(params).finalMessage()).content).toEqual([{ type: "text", text: "zipped" }]);
    await expect(client.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: "the model API failed (HTTP 400): invalid_request_error: bad model" });
    await expect(client.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining('content-encoding "zstd"') });
  });
});

describe("ModelClient through a proxy", () => {
  it("sends an http request to HTTP_PROXY in absolute form; NO_PROXY bypasses it; a CONNECT the proxy refuses is E_MODEL", async () => {
    const { url, seen } = await serve([(res) => stream(res, sse(textTurn("proxied")))]);
    const proxy = await startForwardProxy();
    closers.push(proxy.close);
    const through = new ModelClient({ apiKey: "k", baseURL: url, env: { HTTP_PROXY: proxy.url } });
    expect((await through.messages.stream(params).finalMessage()).content).toEqual([{ type: "text", text: "proxied" }]);
    expect(proxy.seen).toEqual([`POST ${url}/v1/messages`]);
    expect(seen[0]!.headers.host).toBe(new URL(url).host);
    const bypass = new ModelClient({ apiKey: "k", baseURL: url, env: { http_proxy: proxy.url, NO_PROXY: "example.com, 127.0.0.1" } });
    expect((await bypass.messages.stream(params).finalMessage()).content).toEqual([{ type: "text", text: "proxied" }]);
    expect(proxy.seen).toHaveLength(1);
    const refusing = await startForwardProxy({ refuse: true });
    closers.push(refusing.close);
    const https = new ModelClient({ apiKey: "k", baseURL: "https://api.example.test", maxRetries: 0, env: { HTTPS_PROXY: refusing.url } });
    await expect(https.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringContaining("refused to connect to api.example.test:443 (HTTP 403)") });
    expect(refusing.seen).toEqual(["CONNECT api.example.test:443"]);
    const silent = await startForwardProxy({ silent: true });
    closers.push(silent.close);
    const stuck = new ModelClient({ apiKey: "k", baseURL: "https://api.example.test", maxRetries: 0, timeoutMs: 150, env: { HTTPS_PROXY: silent.url } });
    await expect(stuck.messages.stream(params).finalMessage()).rejects.toMatchObject({ code: "E_TIMEOUT", message: expect.stringContaining("did not open a tunnel to api.example.test:443 in time") });
  });

  it("NO_PROXY matches hosts, domains with their subdomains, ports and *; lower-case variables win", () => {
    const u = (href: string) => new URL(href);
    const env = { HTTPS_PROXY: "http://upper:1", https_proxy: "http://lower:2", NO_PROXY: ".corp.example, gw.example:8443, [::1], 10.0.0.7" };
    expect(proxyFor(u("https://api.anthropic.com/v1"), env)?.host).toBe("lower:2");
    expect(proxyFor(u("https://api.corp.example"), env)).toBeUndefined();
    expect(proxyFor(u("https://corp.example"), env)).toBeUndefined();
    expect(proxyFor(u("https://gw.example:8443"), env)).toBeUndefined();
    expect(proxyFor(u("https://gw.example"), env)?.host).toBe("lower:2");
    expect(proxyFor(u("https://[::1]:9"), env)).toBeUndefined();
    expect(proxyFor(u("https://10.0.0.7"), env)).toBeUndefined();
    expect(proxyFor(u("https://10.0.0.70"), env)?.host).toBe("lower:2");
    expect(proxyFor(u("http://api.anthropic.com"), env)).toBeUndefined();
    expect(proxyFor(u("https://x.example"), { HTTPS_PROXY: "proxy.local:3128", NO_PROXY: "*" })).toBeUndefined();
    expect(proxyFor(u("https://x.example"), { HTTPS_PROXY: "proxy.local:3128" })?.href).toBe("http://proxy.local:3128/");
  });
});
