/**
 * The three example analyses of Databricks' "Analyze audit logs" section, with the SQL exactly as
 * Databricks wrote it (Spark SQL: double-quoted strings, nested paths, case-sensitive LIKE).
 */
import type { Analysis } from './types';

export const exampleAnalyses: readonly Analysis[] = [
  {
    id: 'example.logins',
    category: 'example',
    title: 'Who accessed Databricks, and from where',
    question: 'Which users logged in to Databricks, and from which IP addresses?',
    sql: `SELECT DISTINCT userIdentity.email, sourceIPAddress
FROM audit_logs
WHERE serviceName = "accounts" AND actionName LIKE "%login%"`,
  },
  {
    id: 'example.spark-versions',
    category: 'example',
    title: 'Apache Spark versions in use',
    question: 'Which Apache Spark versions are new clusters created with, and how often?',
    sql: `SELECT requestParams.spark_version, COUNT(*)
FROM audit_logs
WHERE serviceName = "clusters" AND actionName = "create"
GROUP BY requestParams.spark_version`,
  },
  {
    id: 'example.table-access',
    category: 'example',
    title: 'Table data access',
    question: 'Which table permission checks were made (table access control)?',
    sql: `SELECT *
FROM audit_logs
WHERE serviceName = "sqlPermissions" AND actionName = "requestPermissions"`,
  },
];
