/** Cluster lifecycle: request/response pairs under one requestId, autoscaling by System-User. */
import type { EventContext } from '../context';
import { encode } from '../context';
import { paramValue } from '../params';
import type { Cluster } from '../world';
import { clusterId, NODE_TYPES, SPARK_VERSIONS } from '../world';
import type { EventBuilder } from './types';

function resultParams(cluster: Cluster, state: string, workers = cluster.workers): Record<string, string> {
  return {
    clusterName: cluster.name,
    clusterState: state,
    clusterId: cluster.id,
    clusterWorkers: String(workers),
    clusterOwnerUserId: cluster.ownerUserId,
  };
}

function delay(ctx: EventContext): number {
  return ctx.rng.int(90, 480) * 1000;
}

export const createCluster: EventBuilder = (ctx) => {
  const { rng } = ctx;
  const ws = ctx.ws;
  const person = ctx.person();
  const actor = rng.chance(0.15) ? ctx.servicePrincipal() : ctx.personActor(person);
  const cluster: Cluster = {
    id: clusterId(rng),
    name: `${person.email.split('@')[0]}'s cluster`,
    sparkVersion: rng.weighted(SPARK_VERSIONS),
    nodeType: rng.pick(NODE_TYPES),
    workers: rng.int(1, 8),
    ownerUserId: person.userId,
  };
  const autoscale = rng.chance(0.4);
  const params: Record<string, string> = {
    cluster_name: cluster.name,
    // A cluster policy can fix the version, and then the request carries none.
    ...(rng.chance(0.06) ? {} : { spark_version: cluster.sparkVersion }),
    node_type_id: cluster.nodeType,
    driver_node_type_id: cluster.nodeType,
    ...(autoscale
      ? { autoscale: encode({ min_workers: 1, max_workers: cluster.workers + rng.int(1, 6) }) }
      : { num_workers: String(cluster.workers) }),
    autotermination_minutes: String(rng.pick([30, 60, 120])),
    enable_elastic_disk: 'true',
    spark_conf: encode(rng.chance(0.5) ? {} : { 'spark.databricks.delta.preview.enabled': 'true' }),
    custom_tags: paramValue('custom_tags', ctx),
    cluster_creator: rng.pick(['Webapp', 'REST_API', 'JOB_LAUNCHER']),
    cluster_source: rng.pick(['UI', 'API', 'JOB']),
    user_id: person.userId,
    organization_id: ws.id,
    idempotency_token: rng.uuid(),
    start_cluster: 'true',
  };
  if (rng.chance(0.2)) params.instance_pool_id = rng.pick(ws.instancePools).id;
  if (rng.chance(0.15)) params.init_scripts = encode([{ dbfs: { destination: 'dbfs:/init/setup.sh' } }]);
  if (rng.chance(0.1)) params.cluster_log_conf = encode({ dbfs: { destination: 'dbfs:/cluster-logs' } });
  if (rng.chance(0.05)) {
    ctx.emit({
      service: 'clusters',
      action: 'create',
      params,
      actor,
      statusCode: 400,
      errorMessage: `INVALID_PARAMETER_VALUE: Node type ${cluster.nodeType} is not supported in this region`,
    });
    return;
  }
  const requestId = ctx.newRequestId();
  ctx.emit({ service: 'clusters', action: 'create', params, actor, requestId, result: encode({ cluster_id: cluster.id }) });
  ctx.emit({ service: 'clusters', action: 'createResult', params: resultParams(cluster, 'RUNNING'), actor, requestId, delayMs: delay(ctx) });
};

/** start, restart, delete: a request, then its result under the same requestId. */
export function lifecycle(action: 'start' | 'restart' | 'delete', state: string): EventBuilder {
  return (ctx) => {
    const cluster = ctx.rng.pick(ctx.ws.clusters);
    const actor = action === 'start' && ctx.rng.chance(0.3) ? ctx.system() : ctx.anyActor();
    const requestId = ctx.newRequestId();
    const params: Record<string, string> = { cluster_id: cluster.id };
    if (action === 'start') params.init_scripts_safe_mode = 'false';
    ctx.emit({ service: 'clusters', action, params, actor, requestId });
    ctx.emit({ service: 'clusters', action: `${action}Result`, params: resultParams(cluster, state), actor, requestId, delayMs: delay(ctx) });
  };
}

/** Most resizes come from autoscaling, performed by System-User. */
export const resizeCluster: EventBuilder = (ctx) => {
  const { rng } = ctx;
  const cluster = rng.pick(ctx.ws.clusters);
  const automatic = rng.chance(0.65);
  const actor = automatic ? ctx.system() : ctx.anyActor();
  const workers = rng.int(1, 16);
  const params: Record<string, string> = { cluster_id: cluster.id };
  if (automatic) params.num_workers = String(workers);
  else if (rng.chance(0.5)) params.autoscale = encode({ min_workers: 1, max_workers: workers });
  else params.num_workers = String(workers);
  const requestId = ctx.newRequestId();
  ctx.emit({ service: 'clusters', action: 'resize', params, actor, requestId });
  ctx.emit({ service: 'clusters', action: 'resizeResult', params: resultParams(cluster, 'RUNNING', workers), actor, requestId, delayMs: delay(ctx) });
};
