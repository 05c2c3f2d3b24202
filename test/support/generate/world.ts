/**
 * The stable cast of a generated account: workspaces with their users, service principals,
 * clusters, jobs, notebooks and so on. Every later event draws from it, so names repeat the way
 * they do in a real account.
 */
import { Random } from './random';

export interface Person {
  email: string;
  userId: string;
  /** The addresses this person usually comes from. */
  ips: string[];
  userAgents: string[];
  isAdmin: boolean;
}

export interface ServicePrincipal {
  /** Service principals appear in `userIdentity.email` as their application UUID. */
  applicationId: string;
  ip: string;
  userAgent: string;
}

export interface Cluster {
  id: string;
  name: string;
  sparkVersion: string;
  nodeType: string;
  workers: number;
  ownerUserId: string;
}

export interface Job {
  id: string;
  name: string;
  clusterId: string;
  notebookPath: string;
  scheduled: boolean;
}

export interface Workspace {
  id: string;
  /** Deployment name used as `shardName` on some records. */
  shardName: string;
  /** Whether this workspace's records carry `orgId` / `shardName` top-level keys. */
  withOrgId: boolean;
  withShardName: boolean;
  people: Person[];
  servicePrincipals: ServicePrincipal[];
  clusters: Cluster[];
  jobs: Job[];
  notebooks: { id: string; path: string }[];
  secretScopes: string[];
  instancePools: { id: string; name: string }[];
  repos: { id: string; url: string; path: string }[];
  experiments: { id: string; path: string }[];
  models: string[];
  groups: { id: string; name: string }[];
  mounts: string[];
  sqlQueries: string[];
  dashboards: string[];
  warehouses: string[];
  tables: string[];
}

export interface World {
  accountId: string;
  workspaces: Workspace[];
  /** Account console administrators (account-level events). */
  accountAdmins: Person[];
  /** Addresses that try to log in from outside (failed logins, IP access list denials). */
  hostileIps: string[];
  logDeliveryConfigIds: string[];
}

export const SPARK_VERSIONS: readonly (readonly [string, number])[] = [
  ['13.3.x-scala2.12', 30],
  ['14.3.x-scala2.12', 25],
  ['15.4.x-scala2.12', 20],
  ['12.2.x-scala2.12', 10],
  ['13.3.x-photon-scala2.12', 6],
  ['15.4.x-cpu-ml-scala2.12', 5],
  ['11.3.x-scala2.12', 4],
];

export const NODE_TYPES = ['n2-highmem-4', 'n2-standard-8', 'n1-standard-4', 'n2-highmem-8', 'n1-highmem-16', 'a2-highgpu-1g'] as const;

const FIRST = ['alice', 'bob', 'carmen', 'deepak', 'elena', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kemi', 'liam', 'mei', 'nora', 'omar', 'priya', 'quinn', 'rosa', 'sven', 'tariq', 'uma', 'victor', 'wen', 'yusuf', 'zoe'];
const LAST = ['smith', 'garcia', 'okafor', 'tanaka', 'muller', 'kowalski', 'nguyen', 'silva', 'patel', 'jensen', 'haddad', 'rossi', 'kim', 'dubois', 'andersson'];
const DOMAINS = ['example.com', 'corp.example.com'];
const TEAMS = ['data-eng', 'analytics', 'ml', 'finance', 'platform', 'marketing'];
const WORDS = ['sales', 'churn', 'events', 'inventory', 'forecast', 'sessions', 'billing', 'clickstream', 'fraud', 'etl', 'features', 'reporting'];

const BROWSER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81',
];
export const API_AGENTS = [
  'databricks-cli-0.18.0',
  'databricks-sdk-py/0.28.0 python/3.11.4 os/linux auth/pat',
  'curl/7.88.1',
  'python-requests/2.31.0',
  'Apache-HttpClient/4.5.14 (Java/1.8.0_392)',
  'terraform-provider-databricks/1.40.0 databricks-sdk-go/0.38.0 go/1.21.9',
  'databricks-jdbc/2.6.36',
];

function publicIp(rng: Random): string {
  return `${rng.pick([34, 35, 104, 146, 198, 203, 82, 91])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function privateIp(rng: Random): string {
  return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** `0824-031338-ash1bcd` — the shape of a Databricks cluster id. */
export function clusterId(rng: Random): string {
  const mm = String(rng.int(1, 12)).padStart(2, '0');
  const dd = String(rng.int(1, 28)).padStart(2, '0');
  const hh = String(rng.int(0, 23)).padStart(2, '0');
  const mi = String(rng.int(0, 59)).padStart(2, '0');
  const ss = String(rng.int(0, 59)).padStart(2, '0');
  return `${mm}${dd}-${hh}${mi}${ss}-${rng.alnum(8)}`;
}

/**
 * Workspace ids of 16 digits. The first is deliberately above Number.MAX_SAFE_INTEGER
 * (9007199254740991) so anything that turns ids into numbers corrupts it visibly.
 */
function workspaceIds(rng: Random, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    ids.add(ids.size === 0 ? `9${rng.int(1, 9)}${rng.digits(14)}` : rng.digits(16));
  }
  return [...ids];
}

function makePerson(rng: Random, taken: Set<string>, isAdmin: boolean): Person {
  let email: string;
  do {
    email = `${rng.pick(FIRST)}.${rng.pick(LAST)}@${rng.pick(DOMAINS)}`;
  } while (taken.has(email));
  taken.add(email);
  const ips = [publicIp(rng)];
  if (rng.chance(0.5)) ips.push(privateIp(rng));
  const userAgents = [rng.pick(BROWSER_AGENTS)];
  if (rng.chance(0.6)) userAgents.push(rng.pick(API_AGENTS));
  return { email, userId: rng.digits(15), ips, userAgents, isAdmin };
}

function makeWorkspace(rng: Random, id: string, index: number): Workspace {
  const taken = new Set<string>();
  const people = Array.from({ length: rng.int(8, 18) }, (_, i) => makePerson(rng, taken, i < 2));
  const servicePrincipals = Array.from({ length: rng.int(1, 3) }, () => ({
    applicationId: rng.uuid(),
    ip: privateIp(rng),
    userAgent: rng.pick(API_AGENTS),
  }));
  const clusters = Array.from({ length: rng.int(4, 9) }, () => {
    const owner = rng.pick(people);
    return {
      id: clusterId(rng),
      name: `${rng.pick(TEAMS)}-${rng.pick(WORDS)}-${rng.pick(['shared', 'dev', 'prod', 'adhoc'])}`,
      sparkVersion: rng.weighted(SPARK_VERSIONS),
      nodeType: rng.pick(NODE_TYPES),
      workers: rng.int(1, 8),
      ownerUserId: owner.userId,
    };
  });
  const notebooks = Array.from({ length: rng.int(10, 25) }, () => {
    const owner = rng.pick(people);
    return { id: rng.digits(16), path: `/Users/${owner.email}/${rng.pick(WORDS)}_${rng.pick(['analysis', 'pipeline', 'report', 'exploration', 'model'])}` };
  });
  const jobs = Array.from({ length: rng.int(3, 8) }, () => ({
    id: rng.digits(rng.int(12, 15)),
    name: `${rng.pick(WORDS)}-${rng.pick(['daily', 'hourly', 'backfill', 'refresh'])}`,
    clusterId: rng.pick(clusters).id,
    notebookPath: rng.pick(notebooks).path,
    scheduled: rng.chance(0.7),
  }));
  return {
    id,
    shardName: `gcp-${rng.pick(['us-central1', 'us-east4', 'europe-west1', 'asia-southeast1'])}-${rng.int(1, 9)}`,
    withOrgId: index % 2 === 0,
    withShardName: index % 3 === 1,
    people,
    servicePrincipals,
    clusters,
    jobs,
    notebooks,
    secretScopes: rng.sample(['prod-creds', 'jdbc', 'storage-keys', 'api-tokens', 'ml-serving', 'kafka'], rng.int(2, 4)),
    instancePools: Array.from({ length: rng.int(1, 3) }, () => ({
      id: `${clusterId(rng)}-pool-${rng.alnum(8)}`,
      name: `${rng.pick(TEAMS)}-pool`,
    })),
    repos: Array.from({ length: rng.int(2, 5) }, () => {
      const name = `${rng.pick(WORDS)}-${rng.pick(['etl', 'models', 'dashboards', 'lib'])}`;
      return { id: rng.digits(15), url: `https://github.com/example-org/${name}.git`, path: `/Repos/${rng.pick(people).email}/${name}` };
    }),
    experiments: Array.from({ length: rng.int(2, 5) }, () => ({ id: rng.digits(16), path: `/Users/${rng.pick(people).email}/${rng.pick(WORDS)}-experiment` })),
    models: rng.sample(WORDS.map((w) => `${w}_model`), 3),
    groups: rng.sample(TEAMS, 4).map((name) => ({ id: rng.digits(15), name })),
    mounts: rng.sample(['/mnt/raw', '/mnt/curated', '/mnt/landing', '/mnt/exports', '/mnt/ml-artifacts'], 3),
    sqlQueries: Array.from({ length: 6 }, () => rng.uuid()),
    dashboards: Array.from({ length: 3 }, () => rng.uuid()),
    warehouses: Array.from({ length: 2 }, () => rng.hex(16)),
    tables: rng.sample(WORDS, 6).map((w) => `${rng.pick(['main', 'hive_metastore', 'finance'])}.${rng.pick(['default', 'silver', 'gold'])}.${w}`),
  };
}

/** Builds the cast; workspaceIds overrides the generated ids when given. */
export function makeWorld(seed: string | number, workspaceCount: number, explicitIds?: readonly string[]): World {
  // Separate streams, so a workspace's cast is the same whether its id was given or generated.
  const rng = new Random(`world:${seed}`);
  const accountId = rng.uuid();
  const ids = explicitIds && explicitIds.length > 0 ? [...explicitIds] : workspaceIds(new Random(`world:${seed}:ids`), workspaceCount);
  const workspaces = ids.map((id, index) => makeWorkspace(new Random(`world:${seed}:workspace:${id}`), id, index));
  const taken = new Set<string>();
  const accountAdmins = Array.from({ length: 3 }, () => makePerson(rng, taken, true));
  return {
    accountId,
    workspaces,
    accountAdmins,
    hostileIps: Array.from({ length: 6 }, () => publicIp(rng)),
    logDeliveryConfigIds: [rng.uuid(), rng.uuid()],
  };
}
