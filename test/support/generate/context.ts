/** What an event builder sees: the cast, the moment, a random stream, and a way to emit records. */
import { Random } from './random';
import type { AuditRecord, AuditResponse } from './types';
import type { Person, Workspace, World } from './world';

export interface Actor {
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  sessionId: string | null;
}

export interface EmitInput {
  service: string;
  action: string;
  params: Record<string, string>;
  actor: Actor;
  /** Defaults to 200; `null` for the request half of a long action. */
  statusCode?: number | null;
  errorMessage?: string | null;
  result?: string | null;
  requestId?: string;
  /** Milliseconds after the event's moment (the response half of a long action). */
  delayMs?: number;
  /** The record's own `workspaceId` (account-level events that concern a workspace). */
  recordWorkspaceId?: string;
}

export const SYSTEM_USER = 'System-User';

export class EventContext {
  constructor(
    readonly rng: Random,
    readonly world: World,
    /** null for account-level events (the `workspaceId=0` partition). */
    readonly workspace: Workspace | null,
    readonly time: number,
    private readonly dayEnd: number,
    private readonly out: AuditRecord[],
  ) {}

  get level(): AuditRecord['auditLevel'] {
    return this.workspace ? 'WORKSPACE_LEVEL' : 'ACCOUNT_LEVEL';
  }

  /** The workspace of a workspace-level event; account-level builders must not ask for it. */
  get ws(): Workspace {
    if (!this.workspace) throw new Error('workspace-level event built for the account partition');
    return this.workspace;
  }

  newRequestId(): string {
    return this.rng.uuid();
  }

  private sessionFor(email: string, browser: boolean): string | null {
    if (!browser) return null;
    // One browser session per person and day, so a day's actions share it.
    return new Random(`${email}:${Math.floor(this.time / 86_400_000)}`).hex(32);
  }

  personActor(person: Person, viaApi = this.rng.chance(0.35)): Actor {
    const browser = !viaApi || person.userAgents.length === 1;
    const userAgent = browser ? person.userAgents[0]! : person.userAgents[1]!;
    return { email: person.email, ip: this.rng.pick(person.ips), userAgent, sessionId: this.sessionFor(person.email, browser) };
  }

  /** A random person of the workspace (or an account admin for account-level events). */
  user(viaApi?: boolean): Actor {
    return this.personActor(this.person(), viaApi);
  }

  person(): Person {
    return this.workspace ? this.rng.pick(this.workspace.people) : this.rng.pick(this.world.accountAdmins);
  }

  admin(): Actor {
    const admins = this.workspace ? this.workspace.people.filter((p) => p.isAdmin) : this.world.accountAdmins;
    return this.personActor(this.rng.pick(admins));
  }

  /** Automated actions: autoscaling, scheduled job runs. */
  system(): Actor {
    return { email: SYSTEM_USER, ip: null, userAgent: null, sessionId: null };
  }

  servicePrincipal(): Actor {
    const sp = this.rng.pick(this.ws.servicePrincipals);
    return { email: sp.applicationId, ip: sp.ip, userAgent: sp.userAgent, sessionId: null };
  }

  /** Mostly people, sometimes a service principal. */
  anyActor(): Actor {
    return this.workspace && this.rng.chance(0.12) ? this.servicePrincipal() : this.user();
  }

  emit(input: EmitInput): AuditRecord {
    const ws = this.workspace;
    const record: AuditRecord = {
      version: '2.0',
      auditLevel: this.level,
      timestamp: Math.min(this.time + (input.delayMs ?? 0), this.dayEnd),
      ...(ws?.withOrgId ? { orgId: ws.id } : {}),
      ...(ws?.withShardName ? { shardName: ws.shardName } : {}),
      accountId: this.world.accountId,
      ...(this.rng.chance(0.08) && input.recordWorkspaceId === undefined ? {} : { workspaceId: input.recordWorkspaceId ?? ws?.id ?? '0' }),
      sourceIPAddress: input.actor.ip,
      userAgent: input.actor.userAgent,
      sessionId: input.actor.sessionId,
      userIdentity: { email: input.actor.email },
      serviceName: input.service,
      actionName: input.action,
      requestId: input.requestId ?? this.newRequestId(),
      requestParams: input.params,
      response: response(input),
    };
    this.out.push(record);
    return record;
  }
}

function response(input: EmitInput): AuditResponse {
  return {
    statusCode: input.statusCode === undefined ? 200 : input.statusCode,
    errorMessage: input.errorMessage ?? null,
    result: input.result ?? null,
  };
}

/** requestParams values are JSON-encoded when they are not strings. */
export function encode(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
