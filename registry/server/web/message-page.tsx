import { Layout } from "./layout.js";

/** A page that only says why there is nothing to show (not found, private registry). */
export function MessagePage(props: { title: string; message: string }) {
  return (
    <Layout title={`${props.title} · Plugin registry`}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to all plugins</a>
      </p>
    </Layout>
  );
}
