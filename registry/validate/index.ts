/** `agent plugin validate`: checks a plugin or marketplace and reports findings with stable codes. */
export { validatePath, type ValidateOptions } from "./validate-path.js";
export { checkPluginDir, type ListedBy, type PluginDirCheck } from "./check-plugin-dir.js";
export { checkMarketplace, marketplaceRootOf } from "./check-marketplace.js";
