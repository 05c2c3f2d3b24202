/**
 * A planted tree for coverage in the editor: workspace 7 busy on 2024-03-01 and 2024-03-02 with a
 * gap at 10:00–12:00 of the first day and one event delivered twice (two files); workspace 8 busy
 * until 05:00 of the first day, then silent (its delivery may have stopped); workspace 9 quiet.
 */
import { aRecord, writeDeliveryTree, type AuditRecord, type DeliveryTree } from './deliveryTree';

const HOUR = 3_600_000;
export const COVERAGE_DAY_START = Date.parse('2024-03-01T00:00:00Z');

function busyHours(workspaceId: string, fromHour: number, toHour: number, skip: readonly number[], tag: string, perHour = 25): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let hour = fromHour; hour < toHour; hour++) {
    if (skip.includes(hour)) continue;
    for (let i = 0; i < perHour; i++) records.push(aRecord({ workspaceId, requestId: `${tag}-${hour}-${i}`, timestamp: COVERAGE_DAY_START + hour * HOUR + i * 1000 }));
  }
  return records;
}

export function writeCoverageTree(): DeliveryTree {
  const twice = aRecord({ workspaceId: '7', requestId: 'twice', timestamp: COVERAGE_DAY_START + 3 * HOUR + 500, serviceName: 'clusters', actionName: 'create' });
  return writeDeliveryTree([
    { workspaceId: '7', date: '2024-03-01', name: 'auditlogs_a.json', lines: [...busyHours('7', 0, 24, [10, 11], 'a'), twice] },
    { workspaceId: '7', date: '2024-03-01', name: 'auditlogs_b.json', lines: [twice] },
    { workspaceId: '7', date: '2024-03-02', name: 'auditlogs_c.json', lines: busyHours('7', 24, 48, [], 'c') },
    { workspaceId: '8', date: '2024-03-01', name: 'auditlogs_d.json', lines: busyHours('8', 0, 6, [], 'd') },
    { workspaceId: '9', date: '2024-03-02', name: 'auditlogs_e.json', lines: busyHours('9', 30, 32, [], 'e', 2) },
  ]);
}
