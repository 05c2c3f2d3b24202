/**
 * The request bodies of Databricks SQL's Queries and Alerts REST APIs, as documented:
 * - POST /api/2.0/sql/queries — https://docs.databricks.com/api/gcp/workspace/queries/create
 * - POST /api/2.0/sql/alerts — https://docs.databricks.com/api/gcp/workspace/alerts/create
 * (the same shapes as CreateQueryRequest and CreateAlertRequest in Databricks' generated SDKs).
 * schema/databricks-query-create.schema.json and schema/databricks-alert-create.schema.json
 * encode them.
 */

export const QUERIES_API = { method: 'POST', path: '/api/2.0/sql/queries', docs: 'https://docs.databricks.com/api/gcp/workspace/queries/create' } as const;
export const ALERTS_API = { method: 'POST', path: '/api/2.0/sql/alerts', docs: 'https://docs.databricks.com/api/gcp/workspace/alerts/create' } as const;

/** Stands for the id the Queries API answers with, until the deploy step puts that id in. */
export const QUERY_ID_PLACEHOLDER = '<query-id>';

export interface CreateQueryRequest {
  query: {
    display_name: string;
    query_text: string;
    warehouse_id?: string;
    description?: string;
    parent_path?: string;
    run_as_mode?: 'OWNER' | 'VIEWER';
  };
}

export type AlertApiOperator = 'GREATER_THAN' | 'GREATER_THAN_OR_EQUAL' | 'LESS_THAN' | 'LESS_THAN_OR_EQUAL' | 'EQUAL' | 'NOT_EQUAL' | 'IS_NULL';

/** Exactly one of the three. */
export type AlertApiValue = { double_value: number } | { string_value: string } | { bool_value: boolean };

export interface AlertApiCondition {
  op: AlertApiOperator;
  operand: { column: { name: string } };
  threshold?: { value: AlertApiValue };
  empty_result_state?: 'UNKNOWN' | 'OK' | 'TRIGGERED';
}

export interface CreateAlertRequest {
  alert: {
    display_name: string;
    query_id: string;
    condition: AlertApiCondition;
    custom_subject?: string;
    custom_body?: string;
    notify_on_ok?: boolean;
    seconds_to_retrigger?: number;
    parent_path?: string;
  };
}
