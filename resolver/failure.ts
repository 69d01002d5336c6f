/** Why one candidate (or the request itself) could not be used; the search records these to explain a failure. */
export interface Imposer {
  /** null: the user's request */
  by: string | null;
  byVersion: string | undefined;
}

export interface ConstraintSnapshot extends Imposer {
  range: string | undefined;
  /** how the imposer was reached: "a@m@1.0.0" … "x@m@2.0.0", root first ([] for the request) */
  chain: string[];
}

export type Failure =
  | ({ kind: "not-found"; id: string } & Imposer)
  | ({ kind: "cross-marketplace"; id: string; fromMarketplace: string; targetMarketplace: string } & Imposer)
  | ({ kind: "policy"; id: string; blocked: "marketplace" | "plugin" } & Imposer)
  | ({ kind: "invalid-range"; id: string; range: string } & Imposer)
  /** no candidate satisfies every constraint */
  | { kind: "conflict"; id: string; constraints: ConstraintSnapshot[]; versions: string[] }
  /** a new constraint excludes the version already chosen (others may fit: the search backtracks) */
  | { kind: "clash"; id: string; chosen: string; constraints: ConstraintSnapshot[]; versions: string[] };

export function describeImposer(imposer: Imposer): string {
  return imposer.by === null ? "your request" : `${imposer.by}@${imposer.byVersion}`;
}
