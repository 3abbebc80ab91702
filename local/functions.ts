import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { BINDING_VARIABLES, type BindingVariable, CONFIG_VARIABLES, type Env } from '../functions/config.js';
import type { Platform } from '../functions/handlers/runtime.js';
import { HANDLER_ENTRIES, type HandlerName, handlerEntryPath } from '../lib/handlers.js';

/** The metadata key lib/constructs/billing-function.ts writes on each function (its entry's name). */
const HANDLER_METADATA_KEY = 'billing:handler';

/** Variables Lambda functions get that are not the billing configuration (Powertools, Node). */
export const PLATFORM_VARIABLES = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'NODE_OPTIONS',
] as const;

/** One AWS::Lambda::Function of the synthesized template. */
export interface TemplateFunction {
  logicalId: string;
  handler: HandlerName;
  /** Its environment as the template states it: literal values, and references (Ref / Fn::GetAtt) to resources. */
  variables: Record<string, unknown>;
  /** The variables whose value references a resource: what CDK bound to the function. */
  bindings: string[];
}

/** What each entry module under functions/handlers/ exports. */
export interface EntryModule {
  bindings: readonly BindingVariable[];
  // biome-ignore lint/suspicious/noExplicitAny: each entry's handler takes its own event type
  createHandler(env?: Env, platform?: Platform): (event: any, context: Context) => Promise<any>;
}

/** The logical id a reference points at (`{Ref: X}` or `{"Fn::GetAtt": [X, attr]}`), if it is one. */
export function referencedId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if ('Ref' in value && typeof value.Ref === 'string') return value.Ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** Every Lambda function of the template with its entry and environment. */
export function templateFunctions(template: Record<string, unknown>): TemplateFunction[] {
  const resources = (template.Resources ?? {}) as Record<
    string,
    { Type?: string; Metadata?: Record<string, unknown>; Properties?: { Environment?: { Variables?: unknown } } }
  >;
  const functions: TemplateFunction[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const handler = resource.Metadata?.[HANDLER_METADATA_KEY];
    if (typeof handler !== 'string' || !Object.hasOwn(HANDLER_ENTRIES, handler))
      throw new Error(`function ${logicalId} names no entry of lib/handlers.ts (metadata ${HANDLER_METADATA_KEY})`);
    const variables = (resource.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    const bindings = Object.keys(variables)
      .filter((name) => typeof variables[name] !== 'string')
      .sort();
    functions.push({ logicalId, handler: handler as HandlerName, variables, bindings });
  }
  return functions;
}

/** Problems with a function's template environment: variables nobody reads, references that are no binding. */
export function environmentProblems(fn: TemplateFunction, entry: Pick<EntryModule, 'bindings'>): string[] {
  const known = new Set<string>([...CONFIG_VARIABLES, ...PLATFORM_VARIABLES]);
  const problems: string[] = [];
  for (const name of Object.keys(fn.variables))
    if (!known.has(name)) problems.push(`${fn.logicalId} gets ${name}, which the configuration does not read`);
  for (const name of fn.bindings)
    if (!(BINDING_VARIABLES as readonly string[]).includes(name))
      problems.push(`${fn.logicalId} gets ${name} as a resource reference, but it is no binding variable`);
  const reads: string[] = [...entry.bindings].sort();
  for (const name of fn.bindings)
    if (!reads.includes(name))
      problems.push(`${fn.logicalId} (${fn.handler}) is bound to ${name}, which its entry does not read`);
  for (const name of reads)
    if (!fn.bindings.includes(name))
      problems.push(`${fn.logicalId} (${fn.handler}) reads ${name}, which the template does not give it`);
  return problems;
}

/**
 * The environment `npm start` gives a function: the local settings (the same variable names as in
 * Lambda, e.g. BILLING_GRACE_MINUTES; endpoints of the local servers), without any binding, plus the
 * bindings the template gives this function, resolved to the local resources. A binding the local
 * stack does not run (delivery or the estimates refresher switched off) stays unset.
 */
export function localFunctionEnv(
  fn: TemplateFunction,
  settings: Env,
  resolve: (variable: string, reference: string | undefined) => string | undefined,
): { env: Env; unresolved: string[] } {
  const env: Env = { ...settings };
  for (const name of BINDING_VARIABLES) delete env[name];
  const unresolved: string[] = [];
  for (const name of fn.bindings) {
    const value = resolve(name, referencedId(fn.variables[name]));
    if (value === undefined) unresolved.push(name);
    else env[name] = value;
  }
  return { env, unresolved };
}

/** The entry module a function runs: the very file CDK bundles for it. */
export async function loadEntry(handler: HandlerName): Promise<EntryModule> {
  const module = (await import(pathToFileURL(handlerEntryPath(handler)).href)) as Partial<EntryModule>;
  if (typeof module.createHandler !== 'function' || !Array.isArray(module.bindings))
    throw new Error(`${HANDLER_ENTRIES[handler]} must export createHandler and bindings`);
  return module as EntryModule;
}
