/** Jobs: creation with JSON-encoded settings, and runs — scheduled ones performed by System-User. */
import { encode } from '../context';
import { SPARK_VERSIONS } from '../world';
import type { EventBuilder } from './types';

export const createJob: EventBuilder = (ctx) => {
  const { rng } = ctx;
  const ws = ctx.ws;
  const job = rng.pick(ws.jobs);
  const params: Record<string, string> = {
    name: job.name,
    notebook_task: encode({ notebook_path: job.notebookPath }),
    email_notifications: encode({ on_failure: [ctx.person().email] }),
    timeout_seconds: '0',
    max_retries: String(rng.int(0, 2)),
    job_type: 'NORMAL',
  };
  if (rng.chance(0.6)) {
    params.new_cluster = encode({ spark_version: rng.weighted(SPARK_VERSIONS), node_type_id: 'n2-highmem-4', num_workers: rng.int(1, 6) });
  } else {
    params.existing_cluster_id = job.clusterId;
  }
  if (job.scheduled) params.schedule = encode({ quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC' });
  ctx.emit({ service: 'jobs', action: 'create', params, actor: ctx.anyActor(), result: encode({ job_id: Number(job.id) }) });
};

/** runSucceeded / runFailed: the outcome of a run, logged by System-User for scheduled runs. */
export function runOutcome(succeeded: boolean): EventBuilder {
  return (ctx) => {
    const { rng } = ctx;
    const job = rng.pick(ctx.ws.jobs);
    const scheduled = job.scheduled && rng.chance(0.85);
    const actor = scheduled ? ctx.system() : ctx.anyActor();
    ctx.emit({
      service: 'jobs',
      action: succeeded ? 'runSucceeded' : 'runFailed',
      params: {
        jobId: job.id,
        runId: rng.digits(rng.int(9, 12)),
        idInJob: String(rng.int(1, 5000)),
        jobClusterType: rng.pick(['new', 'existing']),
        jobTaskType: rng.pick(['NotebookTask', 'SparkPythonTask', 'SparkJarTask']),
        jobTriggerType: scheduled ? 'cron' : rng.pick(['manual', 'runNow']),
        jobTerminalState: succeeded ? 'Succeeded' : rng.pick(['Failed', 'Timedout', 'Cancelled']),
        orgId: ctx.ws.id,
      },
      actor,
    });
  };
}

export const runNow: EventBuilder = (ctx) => {
  const job = ctx.rng.pick(ctx.ws.jobs);
  ctx.emit({
    service: 'jobs',
    action: 'runNow',
    params: { job_id: job.id, notebook_params: encode({ run_date: new Date(ctx.time).toISOString().slice(0, 10) }) },
    actor: ctx.anyActor(),
    result: encode({ run_id: Number(ctx.rng.digits(10)) }),
  });
};

export const submitRun: EventBuilder = (ctx) => {
  const { rng } = ctx;
  const ws = ctx.ws;
  ctx.emit({
    service: 'jobs',
    action: 'submitRun',
    params: {
      run_name: `adf-${rng.pick(['ingest', 'refresh', 'export'])}-${rng.alnum(6)}`,
      notebook_task: encode({ notebook_path: rng.pick(ws.notebooks).path, base_parameters: {} }),
      ...(rng.chance(0.5)
        ? { existing_cluster_id: rng.pick(ws.clusters).id }
        : { new_cluster: encode({ spark_version: rng.weighted(SPARK_VERSIONS), node_type_id: 'n2-standard-8', num_workers: 2 }) }),
      timeout_seconds: '3600',
      libraries: encode([{ pypi: { package: 'great-expectations' } }]),
    },
    actor: ctx.rng.chance(0.6) ? ctx.servicePrincipal() : ctx.user(true),
    result: encode({ run_id: Number(rng.digits(10)) }),
  });
};
