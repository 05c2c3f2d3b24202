/**
 * The Node options a worker starts with: the parent's, less those that load modules into every
 * thread (`--import`, `--require`, `--loader`). The workers are bundled CommonJS and need none.
 * A hook the parent runs under (the TypeScript loader of the tests and the benchmark) would slow
 * each thread's start by about 0.1 s, a start the shipped CLI and extension never make.
 */
const MODULE_HOOKS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** Undefined when the parent loads no module hook: the worker then inherits its options as Node does (some are refused when given). */
export function workerExecArgv(parent: readonly string[]): string[] | undefined {
  const kept: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const option = parent[i]!;
    const name = option.split('=')[0]!;
    if (!MODULE_HOOKS.has(name)) kept.push(option);
    else if (!option.includes('=')) i++; // its value is the next argument
  }
  return kept.length === parent.length ? undefined : kept;
}
