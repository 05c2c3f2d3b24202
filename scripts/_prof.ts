import { AuditDatabase } from '../src/core/sql/database';
import { loadIntoDatabase } from '../src/core/sql/loader';
import { derivePrefilter } from '../src/core/sql/pushdown';
const dir = '/root/.cache/audit-lens-bench/bench-4x30-8032';
const sql = `SELECT DISTINCT userIdentity.email, sourceIPAddress FROM audit_logs WHERE serviceName = "accounts" AND actionName LIKE "%login%"`;
(async () => {
  let t = performance.now();
  const db = await AuditDatabase.open();
  console.log('open', performance.now() - t); t = performance.now();
  const s = await loadIntoDatabase(db, { sources: [dir], prefilter: derivePrefilter([sql]) }, { maxRows: 5e6 });
  console.log('load', performance.now() - t, s.recordsLoaded, s.linesSkippedByFilter); t = performance.now();
  const r = db.query(sql);
  console.log('query', performance.now() - t, r.rowCount); t = performance.now();
  db.snapshot();
  console.log('snap', performance.now() - t);
})();
