/**
 * Turns JSON-schema validation failures into one sentence that names the field and the form it
 * must take, using each schema's `description`: "body.name is not valid: expected …".
 */

/** The parts of an Ajv error this reads; Ajv runs with `verbose` so `parentSchema` is set. */
export interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
  readonly parentSchema?: unknown;
}

/** The message for the first issue of a request part (`body`, `querystring`, `params`). */
export function validationMessage(issues: readonly ValidationIssue[], part: string): string {
  const [issue] = issues;
  if (issue === undefined) return `${part} is not valid`;
  const field = fieldName(part, issue.instancePath);

  switch (issue.keyword) {
    case 'required':
      return `${field} is missing the field ${String(issue.params.missingProperty)}`;
    case 'additionalProperties':
      return `${field} has an unknown field ${JSON.stringify(issue.params.additionalProperty)}`;
    case 'type':
      if (issue.instancePath === '' && part === 'body') {
        return 'the request body must be a JSON object';
      }
      return `${field} must be of type ${String(issue.params.type)}${described(issue)}`;
    default: {
      const description = descriptionOf(issue.parentSchema);
      if (description !== undefined) return `${field} is not valid: expected ${description}`;
      return `${field} ${issue.message ?? 'is not valid'}`;
    }
  }
}

function fieldName(part: string, instancePath: string): string {
  const name = part === 'querystring' ? 'query' : part;
  const path = instancePath
    .split('/')
    .filter((segment) => segment.length > 0)
    .join('.');
  return path.length === 0 ? name : `${name}.${path}`;
}

function described(issue: ValidationIssue): string {
  const description = descriptionOf(issue.parentSchema);
  return description === undefined ? '' : ` (${description})`;
}

function descriptionOf(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || !('description' in schema)) return undefined;
  return typeof schema.description === 'string' ? schema.description : undefined;
}
