// Stands in for `undici` in dist/ only (scripts/bundle.ts): @actions/http-client imports ProxyAgent for getAgentDispatcher(), which this action never calls.
export class ProxyAgent {
  constructor() {
    const error = new Error(
      'undici is left out of this bundle (scripts/bundle.ts), yet @actions/http-client constructed its ProxyAgent: bundle undici again',
    );
    error.code = 'ERR_UNDICI_NOT_BUNDLED';
    throw error;
  }
}
