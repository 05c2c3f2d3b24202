/** The scan thread's entry: serves the scan protocol on the worker channel. */
import { serve } from '../channel/thread';
import { SCAN_WORKER_FILE } from '../entries';
import { scanHandlers } from './handlers';
import type { ScanProtocol } from './protocol';

serve<ScanProtocol>(scanHandlers, SCAN_WORKER_FILE);
