// Every request the client builds, checked against the vendored OpenAPI
// description (method, path, query and body) by the emulator's contract
// validator, so a typo in a path or a parameter name fails a test instead of
// a user's sync. One validator serves both packages: its 2026 overrides and
// the paths the app uses are listed in packages/spotify-emulator/src/contract.ts.
import { createContractValidator } from '@mtm/spotify-emulator/contract';

export interface ContractRequest {
  method: string;
  /** Path under the Web API base, e.g. `/me/top/tracks`. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

export interface ContractChecker {
  /** Operation id the request matches, or throws with the validator's errors. */
  check(req: ContractRequest): string;
}

export async function contractChecker(): Promise<ContractChecker> {
  const validator = await createContractValidator();
  return {
    check(req) {
      const r = validator.validateRequest(req);
      if (!r.valid || !r.operationId)
        throw new Error(`${r.operationId ?? `${req.method} ${req.path}`}: ${r.errors.join('; ')}`);
      return r.operationId;
    },
  };
}
