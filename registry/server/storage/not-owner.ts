import { AgentError } from "../../../schemas/errors.js";

/** A publish to an existing package by someone who is not one of its owners (HTTP 403). */
export function notOwner(name: string, user: string): AgentError {
  return new AgentError("E_PERMISSION_DENIED", `${user} is not an owner of ${name}`, {
    hint: "Ask an owner to run `npm owner add <you> <package>`.",
    details: { package: name, user, reason: "not-owner" },
  });
}
