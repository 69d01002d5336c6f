/** The catalog page of a package; scoped names keep their slash (/plugins/@corp/kit). */
export function pluginHref(name: string, version?: string): string {
  const path = `/plugins/${name.split("/").map((part) => encodeURIComponent(part).replace(/^%40/, "@")).join("/")}`;
  return version ? `${path}?${new URLSearchParams({ version }).toString()}` : path;
}
