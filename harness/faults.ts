/**
 * The faults a simulator injects, per route, in the order they were added: both simulators
 * (`simulator.ts`, `microsoft.ts`) keep theirs here. A fault with `times` applies to that many
 * requests and is then dropped; without `times` it applies to every request.
 */
export class FaultQueue<Route, Fault extends { times?: number }> {
  readonly #faults = new Map<Route, Fault[]>();

  /** Adds a copy of `fault` to `route` (its `times` counts down on the copy). */
  add(route: Route, fault: Fault): void {
    const list = this.#faults.get(route) ?? [];
    list.push({ ...fault });
    this.#faults.set(route, list);
  }

  clear(): void {
    this.#faults.clear();
  }

  /** The first fault of `route` that `applies` (default: the first), counted down; undefined if none. */
  take(route: Route, applies: (fault: Fault) => boolean = () => true): Fault | undefined {
    const list = this.#faults.get(route) ?? [];
    const at = list.findIndex(applies);
    const fault = list[at];
    if (fault === undefined) return undefined;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) list.splice(at, 1);
    }
    return fault;
  }
}
