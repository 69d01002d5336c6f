// node dial.mjs tcp <host> <port> | unix <path>: connects and prints "CONNECTED <first bytes>" or "blocked: <code>"
import { connect } from "node:net";
const [kind, a, b] = process.argv.slice(2);
let data = "";
let socket;
try {
  socket = kind === "tcp" ? connect({ host: a, port: Number(b) }) : connect({ path: a });
} catch (error) {
  console.log(`blocked: ${error.code ?? error.message}`);
  process.exit(0);
}
const done = (text) => {
  console.log(text);
  process.exit(0);
};
setTimeout(() => done(data ? `CONNECTED ${data}` : "blocked: timeout"), 1500);
socket.on("connect", () => setTimeout(() => done(`CONNECTED ${data}`), 200));
socket.on("data", (d) => (data += d));
socket.on("error", (error) => done(`blocked: ${error.code}`));
