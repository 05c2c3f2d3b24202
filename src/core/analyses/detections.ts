/**
 * The built-in security detections, read from their YAML files (detections/builtin, shipped as
 * dist/detections): one source of truth for the CLI, the editor and the docs. The SQL is written
 * for the delivered column names and runs on Audit Lens' Spark-style dialect and on Databricks as
 * written; row-level detections end with `_file, _line` so a hit opens its raw line; every query
 * filters on serviceName, in each branch of an OR, and names exactly the services it declares.
 */
import { readBuiltinDetections } from '../detections/builtin';
import { lazyList } from './lazy';
import type { Detection } from './types';

/** Read on first use, so loading the extension or the CLI does not pay for parsing them. */
export const detections: readonly Detection[] = lazyList(readBuiltinDetections);
