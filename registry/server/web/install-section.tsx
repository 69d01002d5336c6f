/** The two commands that install the plugin from this registry's marketplace. */
export function InstallSection(props: { pluginName: string; marketplaceName: string; marketplaceUrl: string }) {
  const add = `agent plugin marketplace add ${props.marketplaceUrl}`;
  const install = `agent plugin install ${props.pluginName}@${props.marketplaceName}`;
  return (
    <section aria-labelledby="install">
      <h2 id="install">Install</h2>
      <p>Add this registry's marketplace once:</p>
      <pre aria-label="Add the marketplace">
        <code>{add}</code>
      </pre>
      <p>Then install the plugin:</p>
      <pre aria-label="Install the plugin">
        <code>{install}</code>
      </pre>
      <p class="muted">
        Claude Code works too: <code>claude plugin marketplace add {props.marketplaceUrl}</code>, then{" "}
        <code>
          claude plugin install {props.pluginName}@{props.marketplaceName}
        </code>
        .
      </p>
    </section>
  );
}
