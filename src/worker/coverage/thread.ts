/** The coverage thread's entry: serves the coverage protocol on the worker channel. */
import { serve } from '../channel/thread';
import { COVERAGE_WORKER_FILE } from '../entries';
import { coverageHandlers } from './handlers';
import type { CoverageProtocol } from './protocol';

serve<CoverageProtocol>(coverageHandlers, COVERAGE_WORKER_FILE);
