import type { Call } from '../../../src/worker/channel/messages';

export type TestProtocol = {
  /** Answers how many times this thread was initialized. */
  init: Call<Record<string, never>, number>;
  /** Streams `chunks` numbers, each after the last was acknowledged. */
  stream: Call<{ chunks: number }, { acknowledged: number[]; aborted: boolean }, number>;
  block: Call<{ ms: number }, string>;
  crash: Call<Record<string, never>, never>;
  /** The Node options the thread started with. */
  execArgv: Call<Record<string, never>, string[]>;
};
