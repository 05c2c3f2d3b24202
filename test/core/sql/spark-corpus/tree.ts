/**
 * The corpus's delivery tree: a seeded, small set of audit records shaped like what Databricks
 * delivers (services, actions and requestParams the detections look at), dated relative to today
 * so that `current_date() - n` filters have something to keep and something to drop.
 */
import { type AuditRecord, type FileSpec } from '../../../support/deliveryTree';

const DAY = 86_400_000;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = ['alice@example.com', 'bob@example.com', 'carol@corp.example', 'dave@example.com', '3f2b9c1e-1111-4a5b-9c2d-0123456789ab'];
const IPS = ['10.0.0.1', '10.0.0.2', '192.168.1.7', '203.0.113.9', '198.51.100.4'];
const AGENTS = ['Apache-HttpClient/4.5.13 (Java/1.8.0_345)', 'Mozilla/5.0 (X11; Linux x86_64)', 'databricks-cli/0.18.0', 'python-requests/2.31.0'];

type Maker = (pick: <T>(items: readonly T[]) => T, n: () => number) => Partial<AuditRecord>;

const ok = { statusCode: 200, errorMessage: null, result: null };
const denied = (code: number): AuditRecord['response'] => ({ statusCode: code, errorMessage: code === 401 ? 'Invalid credentials' : 'Permission denied', result: null });

/** Event kinds with a weight each: what the detections in the corpus look for. */
const EVENTS: [number, Maker][] = [
  [8, (pick, n) => ({ serviceName: 'accounts', actionName: pick(['login', 'tokenLogin', 'samlLogin']), requestParams: { user: pick(USERS) }, response: n() < 0.35 ? denied(pick([401, 403])) : ok })],
  [2, (pick) => ({ serviceName: 'accounts', actionName: pick(['addPrincipalToGroup', 'removePrincipalFromGroup']), requestParams: { targetUserName: pick(USERS), targetGroupName: pick(['admins', 'users', 'data-eng']) } })],
  [4, (pick, n) => ({
    serviceName: 'clusters',
    actionName: pick(['create', 'edit', 'delete', 'permanentDelete', 'start']),
    requestParams: { cluster_name: pick(['prod_etl', 'prod-bi', 'dev_sandbox', 'adhoc']), spark_version: pick(['13.3.x-scala2.12', '14.3.x-scala2.12', '15.4.x-scala2.12']), num_workers: String(Math.floor(n() * 12)), node_type_id: pick(['n2-highmem-4', 'n2-standard-8']) },
    response: { statusCode: 200, errorMessage: null, result: `{"cluster_id":"0101-${Math.floor(n() * 9000 + 1000)}-abc"}` },
  })],
  [4, (pick) => ({ serviceName: 'secrets', actionName: pick(['getSecret', 'getSecret', 'listSecrets', 'putSecret', 'deleteScope']), requestParams: { scope: pick(['prod', 'dev', 'ci']), key: pick(['db-password', 'api-token', 'ssh-key']) } })],
  [3, (pick) => ({ serviceName: 'workspace', actionName: pick(['workspaceExport', 'getStatus']), requestParams: { notebookFullPath: pick(['/Users/alice/etl', '/Shared/report', '/Repos/x/y']), workspaceExportFormat: pick(['SOURCE', 'HTML', 'DBC']) } })],
  [3, (pick, n) => ({ serviceName: 'dbfs', actionName: pick(['read', 'get', 'put']), requestParams: { path: pick(['/mnt/raw/customers.csv', '/mnt/raw/orders.parquet', '/FileStore/tmp/x.txt', '/user/hive/warehouse/t']), length: String(Math.floor(n() * 5_000_000)) } })],
  [3, (pick, n) => ({ serviceName: 'unityCatalog', actionName: pick(['getTable', 'getTable', 'createTable', 'deleteTable']), requestParams: { full_name_arg: pick(['main.sales.orders', 'main.hr.salaries', 'dev.tmp.scratch']) }, response: n() < 0.15 ? denied(403) : ok })],
  [2, (pick) => ({ serviceName: 'jobs', actionName: pick(['create', 'runNow', 'delete']), requestParams: { job_id: pick(['11', '12', '13']), users: pick(['alice@example.com,bob@example.com', 'carol@corp.example', '']) } })],
  [1, (pick) => ({ serviceName: 'sqlPermissions', actionName: pick(['requestPermissions', 'grantPermission']), requestParams: { requestId: pick(['r1', 'r2']), requests: '[{"a":1}]' } })],
];

function eventMaker(rnd: () => number): Maker {
  const total = EVENTS.reduce((sum, [w]) => sum + w, 0);
  let x = rnd() * total;
  for (const [weight, maker] of EVENTS) {
    x -= weight;
    if (x < 0) return maker;
  }
  return EVENTS[0]![1];
}

/** Two workspaces, the last four days, `perFile` events a file. */
export function corpusTree(perFile = 40, now = Date.now()): FileSpec[] {
  const rnd = random(20240506);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const today = Math.floor(now / DAY) * DAY;
  const specs: FileSpec[] = [];
  let sequence = 0;
  for (const workspaceId of ['1234567890123456', '0']) {
    for (let back = 3; back >= 0; back--) {
      const day = today - back * DAY;
      const lines: AuditRecord[] = [];
      for (let i = 0; i < perFile; i++) {
        sequence++;
        const made = eventMaker(rnd)(pick, rnd);
        const email = rnd() < 0.08 ? null : pick(USERS);
        lines.push({
          version: '2.0',
          timestamp: day + Math.floor(rnd() * (DAY - 1)),
          sourceIPAddress: pick(IPS),
          userAgent: pick(AGENTS),
          sessionId: `s-${sequence % 17}`,
          userIdentity: { email },
          requestId: `req-${sequence}`,
          auditLevel: workspaceId === '0' ? 'ACCOUNT_LEVEL' : 'WORKSPACE_LEVEL',
          accountId: 'b1d5c6a0-0000-4000-8000-000000000001',
          response: ok,
          requestParams: {},
          ...made,
        });
      }
      specs.push({ workspaceId, date: new Date(day).toISOString().slice(0, 10), lines });
    }
  }
  return specs;
}
