import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledges findings through CDK's own `Validations.of(construct).acknowledge`.
 * Wildcard findings (AwsSolutions-IAM5) are acknowledged one resource pattern at a time, with the
 * finding id cdk-nag computes: `AwsSolutions-IAM5[Resource::<flattened ARN>]`.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resourceArn: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: wildcardResourceFinding(scope, resourceArn), reason });
}

export function wildcardResourceFinding(scope: IConstruct, resourceArn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resourceArn))}]`;
}

/** Same flattening as cdk-nag's utils/flatten-cfn-reference (Fn::Join joined, GetAtt -> <Id.Attr>, Ref -> <Id>). */
function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    if (value['Fn::Join']) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (value['Fn::Sub']) return flattenReference(value['Fn::Sub']);
    if (value['Fn::GetAtt']) {
      const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (value['Fn::ImportValue']) return flattenReference(value['Fn::ImportValue']);
    if (value.Ref) return `<${flattenReference(value.Ref)}>`;
  }
  return JSON.stringify(node);
}
