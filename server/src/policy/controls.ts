// Hover docs for the properties that hold policies (Rule.controls of the policy rules).

import type { ControlDoc } from '../rules/types';

const POLICY = `**Policy document.** An IAM policy: \`Version\` (use \`2012-10-17\`) and one or more statements, each with \`Effect\` (\`Allow\`/\`Deny\`), \`Action\`, \`Resource\`, and for resource-based policies \`Principal\`. An explicit \`Deny\` wins over any \`Allow\`; anything not allowed is denied. Grant the fewest actions on the narrowest resources, and restrict public principals with conditions such as \`aws:PrincipalOrgID\`, \`aws:SourceVpce\` or \`aws:SourceArn\`. [Policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)`;

const TRUST = `**Trust policy.** Who may assume this role (\`sts:AssumeRole\`, \`sts:AssumeRoleWithWebIdentity\`, \`sts:AssumeRoleWithSAML\`). Name the exact principals; for service principals add \`aws:SourceAccount\` / \`aws:SourceArn\` to prevent the confused-deputy problem; for web identity, restrict the token's \`sub\` and \`aud\`. A trust policy has no \`Resource\`. [Role trust policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html)`;

const ENDPOINT = `**VPC endpoint policy.** Limits what can be done *through* this endpoint; it does not grant anything by itself. Without a policy the endpoint allows full access to the service. Restrict it to your accounts (\`aws:PrincipalAccount\`, \`aws:ResourceAccount\`) to build a data perimeter. [Endpoint policies](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html)`;

export const POLICY_CONTROLS: ControlDoc[] = [
  {
    keys: ['PolicyDocument', 'policy'],
    resourceTypes: ['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint', 'aws_vpc_endpoint_policy'],
    markdown: ENDPOINT,
  },
  { keys: ['AssumeRolePolicyDocument', 'assume_role_policy'], markdown: TRUST },
  {
    keys: [
      'PolicyDocument',
      'KeyPolicy',
      'AccessPolicies',
      'RepositoryPolicyText',
      'FileSystemPolicy',
      'AccessPolicy',
      'ResourcePolicy',
      'access_policies',
      'key_policy',
      'inline_policy',
    ],
    markdown: POLICY,
  },
  {
    keys: ['policy'],
    resourceTypes: [
      'aws_iam_policy',
      'aws_iam_role_policy',
      'aws_iam_user_policy',
      'aws_iam_group_policy',
      'aws_s3_bucket_policy',
      'aws_s3_bucket',
      'aws_sqs_queue_policy',
      'aws_sqs_queue',
      'aws_sns_topic_policy',
      'aws_sns_topic',
      'aws_kms_key',
      'aws_kms_key_policy',
      'aws_secretsmanager_secret_policy',
      'aws_ecr_repository_policy',
      'aws_efs_file_system_policy',
      'aws_backup_vault_policy',
      'aws_api_gateway_rest_api_policy',
      'aws_dynamodb_resource_policy',
    ],
    markdown: POLICY,
  },
];
