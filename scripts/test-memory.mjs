// Resident memory of process trees, sampled from /proc (Linux). Elsewhere every figure is 0 and
// only the test file's own record of its peak (test-peak.mjs) is reported.
import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of every process: one pass over /proc. */
export function parents() {
  const out = new Map();
  let names;
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), Number(fields[1]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/** VmRSS and VmHWM (peak) of one process, in bytes; zeros once it is gone. */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/**
 * Follows one test file's run: `root` is the test runner process started for it; its children are
 * the test file's process; theirs are what the test file starts (CLI runs, servers, browsers).
 */
export class TreeWatch {
  constructor(root) {
    this.root = root;
    /** Peak resident memory of the runner or the test file's process, whichever is larger. */
    this.ownPeak = 0;
    /** Largest sum of resident memory over everything the test file's process started. */
    this.childrenPeak = 0;
  }

  /** Takes one sample, given the parent map of the moment; returns the test process's resident size. */
  sample(parentMap) {
    const children = new Map();
    for (const [pid, ppid] of parentMap) {
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(pid);
    }
    const own = memoryOf(this.root);
    this.ownPeak = Math.max(this.ownPeak, own.hwm);
    let current = own.rss;
    let below = 0;
    for (const testPid of children.get(this.root) ?? []) {
      const test = memoryOf(testPid);
      this.ownPeak = Math.max(this.ownPeak, test.hwm);
      current = Math.max(current, test.rss);
      const stack = [...(children.get(testPid) ?? [])];
      while (stack.length > 0) {
        const pid = stack.pop();
        below += memoryOf(pid).rss;
        stack.push(...(children.get(pid) ?? []));
      }
    }
    this.childrenPeak = Math.max(this.childrenPeak, below);
    return current;
  }
}
